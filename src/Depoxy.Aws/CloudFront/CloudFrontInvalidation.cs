using System.Globalization;
using System.Xml.Linq;

namespace Depoxy.Aws.CloudFront;

/// <summary>An invalidation as CloudFront reports it (the <c>Invalidation</c> shape of the 2020-05-31 API).</summary>
public sealed record CloudFrontInvalidation(
    string Id, string Status, DateTimeOffset CreateTime, string CallerReference, IReadOnlyList<string> Paths)
{
    public const string CompletedStatus = "Completed";

    // moto reports "COMPLETED" where CloudFront says "Completed"; the waiter's meaning is the same either way.
    public bool IsCompleted => string.Equals(Status, CompletedStatus, StringComparison.OrdinalIgnoreCase);

    internal static CloudFrontInvalidation Parse(string xml)
    {
        var root = XDocument.Parse(xml).Root ?? throw new FormatException("CloudFront answered an empty document");
        var invalidation = root.Name.LocalName == "Invalidation"
            ? root
            : root.Descendants().FirstOrDefault(e => e.Name.LocalName == "Invalidation")
              ?? throw new FormatException("CloudFront answered without an Invalidation element");
        var batch = Child(invalidation, "InvalidationBatch");
        var paths = Child(Child(batch, "Paths"), "Items")?.Elements().Select(e => e.Value).ToList() ?? [];
        return new CloudFrontInvalidation(
            Value(invalidation, "Id"),
            Value(invalidation, "Status"),
            DateTimeOffset.Parse(Value(invalidation, "CreateTime"), CultureInfo.InvariantCulture),
            Child(batch, "CallerReference")?.Value ?? "",
            paths);
    }

    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string Value(XElement parent, string name) =>
        Child(parent, name)?.Value ?? throw new FormatException($"CloudFront answered an Invalidation without {name}");
}
