using System.Text.RegularExpressions;

namespace Depoxy.Api.Pipelines;

/// <summary>Rules the JSON shape alone cannot express; returns field → problems for a 400 answer.</summary>
public static partial class PipelineValidator
{
    public const int MaxSteps = 50;

    private static readonly Dictionary<EndpointKind, string[]> Schemes = new()
    {
        [EndpointKind.S3] = ["s3"],
        [EndpointKind.Postgres] = ["postgres", "postgresql"],
        [EndpointKind.Https] = ["https"],
        [EndpointKind.Sftp] = ["sftp"],
    };

    public static Dictionary<string, string[]> Validate(PipelineDefinition pipeline)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(pipeline.Name) || pipeline.Name.Length > 100)
            errors["name"] = ["a name of 1-100 characters is required"];
        if (pipeline.Description is { Length: > 1000 })
            errors["description"] = ["at most 1000 characters"];
        if (pipeline.Schedule is { } schedule && !SchedulePattern().IsMatch(schedule))
            errors["schedule"] = ["an EventBridge schedule such as rate(1 hour) or cron(0 2 * * ? *), or null"];
        ValidateEndpoint("source", pipeline.Source, errors);
        ValidateEndpoint("destination", pipeline.Destination, errors);
        if (pipeline.Steps.Count > MaxSteps)
            errors["steps"] = [$"at most {MaxSteps} steps"];
        else
        {
            for (var i = 0; i < pipeline.Steps.Count; i++)
            {
                var step = pipeline.Steps[i];
                // JSON null inside the list passes deserialization: nullability is not enforced on list elements.
                if (step is null)
                {
                    errors[$"steps[{i}]"] = ["a step object is required"];
                    continue;
                }
                if (!StepNamePattern().IsMatch(step.Name))
                    errors[$"steps[{i}].name"] = ["1-64 characters: letters, digits, '-', '_'"];
                if (string.IsNullOrWhiteSpace(step.Expression) || step.Expression.Length > 4000)
                    errors[$"steps[{i}].expression"] = ["an expression of 1-4000 characters is required"];
            }
            foreach (var duplicate in pipeline.Steps.Where(s => s is not null).GroupBy(s => s.Name).Where(g => g.Count() > 1))
                errors[$"steps.{duplicate.Key}"] = ["step names must be unique"];
        }
        return errors;
    }

    private static void ValidateEndpoint(string field, PipelineEndpoint endpoint, Dictionary<string, string[]> errors)
    {
        var schemes = Schemes[endpoint.Kind];
        if (!Uri.TryCreate(endpoint.Location, UriKind.Absolute, out var uri) || !schemes.Contains(uri.Scheme) || uri.Host == "")
            errors[$"{field}.location"] = [$"an absolute {string.Join(" or ", schemes.Select(s => s + "://"))} URI is required for kind {endpoint.Kind.ToString().ToLowerInvariant()}"];
        else if (uri.UserInfo.Contains(':'))
            // Definitions are plain S3 documents, not a secret store: credentials belong in Secrets Manager.
            errors[$"{field}.location"] = ["must not contain a password; reference credentials from Secrets Manager instead"];
    }

    [GeneratedRegex(@"^(rate\(\d{1,5} (minute|minutes|hour|hours|day|days)\)|cron\([^()]{1,200}\))\z")]
    private static partial Regex SchedulePattern();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}\\z")]
    private static partial Regex StepNamePattern();
}
