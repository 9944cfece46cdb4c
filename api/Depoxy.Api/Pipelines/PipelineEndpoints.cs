using System.Text.Json;
using Depoxy.Api.Auth;

namespace Depoxy.Api.Pipelines;

public static class PipelineEndpoints
{
    public const string JsonProblem =
        "not valid here: check the property's name, type and that it is present (see the pipeline schema in api/README.md)";

    public static void MapPipelines(this RouteGroupBuilder api)
    {
        var pipelines = api.MapGroup("/pipelines").RequireAuthorization();

        pipelines.MapGet("", async (HttpContext context, PipelineStore store, CancellationToken cancellationToken) =>
            TypedResults.Ok(new PipelineList(await store.ListAsync(SessionUser.From(context.User).Email, cancellationToken))));

        pipelines.MapGet("/{id}", async (string id, HttpContext context, PipelineStore store, CancellationToken cancellationToken) =>
        {
            if (!PipelineId.IsValid(id)) return BadId();
            var found = await store.GetAsync(SessionUser.From(context.User).Email, id, cancellationToken);
            if (found is not { } pipeline) return NotFound(id);
            context.Response.Headers.ETag = pipeline.ETag;
            return Results.Json(pipeline.Pipeline, ApiJson.Default.PipelineDefinition);
        });

        pipelines.MapPut("/{id}", PutAsync);

        pipelines.MapDelete("/{id}", async (string id, HttpContext context, PipelineStore store, CancellationToken cancellationToken) =>
        {
            if (!PipelineId.IsValid(id)) return BadId();
            var ifMatch = IfMatch(context.Request);
            return await store.DeleteAsync(SessionUser.From(context.User).Email, id, ifMatch, cancellationToken) switch
            {
                DeleteOutcome.Deleted => Results.NoContent(),
                DeleteOutcome.NotFound => NotFound(id),
                _ => Stale(id),
            };
        });
    }

    private static async Task<IResult> PutAsync(string id, HttpContext context, PipelineStore store, CancellationToken cancellationToken)
    {
        if (!PipelineId.IsValid(id)) return BadId();
        if (context.Request.HasJsonContentType() is false)
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the pipeline as application/json.");
        PipelineDefinition? pipeline;
        try
        {
            pipeline = await JsonSerializer.DeserializeAsync(context.Request.Body, ApiJson.Default.PipelineDefinition, cancellationToken);
        }
        catch (JsonException e)
        {
            // The serializer's own message names .NET types and nullability hints: only the JSON path goes out.
            return Results.ValidationProblem(new Dictionary<string, string[]> { [e.Path ?? "$"] = [JsonProblem] },
                title: "The pipeline is not valid JSON of the pipeline schema.");
        }
        if (pipeline is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["a pipeline object is required"] });
        var errors = PipelineValidator.Validate(pipeline);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var email = SessionUser.From(context.User).Email;
        var (outcome, etag) = await store.PutAsync(email, id, pipeline, IfMatch(context.Request), cancellationToken);
        if (etag is not null) context.Response.Headers.ETag = etag;
        return outcome switch
        {
            WriteOutcome.Created => Results.Created($"{context.Request.PathBase}{context.Request.Path}", pipeline),
            WriteOutcome.Updated => Results.Ok(pipeline),
            WriteOutcome.PreconditionRequired => Results.Problem(statusCode: StatusCodes.Status428PreconditionRequired,
                title: $"Pipeline {id} exists: send If-Match with the ETag you last read to replace it."),
            _ => Stale(id),
        };
    }

    private static string? IfMatch(HttpRequest request) =>
        request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    private static IResult BadId() =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [PipelineId.Rule] });

    private static IResult NotFound(string id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No pipeline {id}.");

    private static IResult Stale(string id) =>
        Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed,
            title: $"Pipeline {id} changed since you read it (If-Match is stale): read it again and retry.");

}
