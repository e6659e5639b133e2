using static CleanCognito.Deploy.Tests.Template.CloudFormationTemplate;

namespace CleanCognito.Deploy.Tests.Template;

/// <summary>
/// The files bucket's CORS and lifecycle rules, read from the template: browsers may PUT parts from
/// the app's own https origins only (and read the ETag), nothing else cross-origin; incomplete
/// multipart uploads are aborted after one day. Every way these could be wider is a violation.
/// </summary>
internal static class FilesBucketRules
{
    public const string AppHost = "app.example.com";

    public static IReadOnlyList<string> Violations(CloudFormationTemplate template)
    {
        var violations = new List<string>();
        var bucket = Properties(template.Resource("FilesBucket"));
        CheckCors(template, Map(bucket, "CorsConfiguration"), violations);
        CheckLifecycle(Map(bucket, "LifecycleConfiguration"), violations);
        return violations;
    }

    /// <summary>The origins the CORS rule allows for the given ExtraCallbackHosts (AppHost = <see cref="AppHost"/>).</summary>
    public static IReadOnlyList<string> Origins(CloudFormationTemplate template, string extraCallbackHosts)
    {
        var rule = Items(Get(Map(Properties(template.Resource("FilesBucket")), "CorsConfiguration"), "CorsRules")).Single();
        var parameters = new Dictionary<string, string> { ["AppHost"] = AppHost, ["ExtraCallbackHosts"] = extraCallbackHosts };
        return new IntrinsicEvaluator(template, parameters).List(Get(rule, "AllowedOrigins"));
    }

    private static void CheckCors(CloudFormationTemplate template, YamlDotNet.RepresentationModel.YamlMappingNode? cors, List<string> violations)
    {
        var rules = Items(Get(cors, "CorsRules"));
        if (rules.Count != 1)
        {
            violations.Add($"CorsRules: expected the one rule for part uploads, found {rules.Count}");
            return;
        }

        var rule = rules[0];
        var methods = Items(Get(rule, "AllowedMethods")).Select(m => Text(m) ?? "?").ToList();
        if (methods is not ["PUT"])
        {
            violations.Add($"AllowedMethods must be exactly [PUT] (a part upload), found [{string.Join(", ", methods)}]");
        }

        var headers = Items(Get(rule, "AllowedHeaders")).Select(h => Text(h) ?? "?").ToList();
        if (headers.Count > 0)
        {
            violations.Add($"AllowedHeaders must be empty (a part PUT sends none a preflight asks for), found [{string.Join(", ", headers)}]");
        }

        var exposed = Items(Get(rule, "ExposedHeaders")).Select(h => Text(h) ?? "?").ToList();
        if (exposed is not ["ETag"])
        {
            violations.Add($"ExposedHeaders must be exactly [ETag] (the page sends it back at completion), found [{string.Join(", ", exposed)}]");
        }

        if (!int.TryParse(Text(Get(rule, "MaxAge")), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var maxAge) || maxAge is < 1 or > 86400)
        {
            violations.Add("MaxAge must be a number of seconds (1 to 86400): a preflight per part costs a round trip");
        }

        IReadOnlyList<string> withoutExtra;
        IReadOnlyList<string> withExtra;
        try
        {
            withoutExtra = Origins(template, string.Empty);
            withExtra = Origins(template, "localhost:5001,dev.example.com:8443");
        }
        catch (InvalidOperationException ex)
        {
            violations.Add($"AllowedOrigins cannot be evaluated: {ex.Message}");
            return;
        }

        if (!withoutExtra.SequenceEqual([$"https://{AppHost}"]))
        {
            violations.Add($"AllowedOrigins must be https://<AppHost> alone when ExtraCallbackHosts is empty, found [{string.Join(", ", withoutExtra)}]");
        }

        if (!withExtra.SequenceEqual([$"https://{AppHost}", "https://localhost:5001", "https://dev.example.com:8443"]))
        {
            violations.Add($"AllowedOrigins must add https://<host> for each ExtraCallbackHosts host, found [{string.Join(", ", withExtra)}]");
        }
    }

    private static void CheckLifecycle(YamlDotNet.RepresentationModel.YamlMappingNode? lifecycle, List<string> violations)
    {
        var aborting = Items(Get(lifecycle, "Rules")).Where(r => Get(r, "AbortIncompleteMultipartUpload") is not null).ToList();
        if (aborting.Count != 1)
        {
            violations.Add($"expected one lifecycle rule that aborts incomplete multipart uploads, found {aborting.Count}");
            return;
        }

        var rule = aborting[0];
        if (Text(Get(rule, "Status")) != "Enabled")
        {
            violations.Add("the abort rule must be Enabled");
        }

        if (Get(rule, "Prefix") is not null || Get(rule, "TagFilters") is not null || Get(rule, "ObjectSizeGreaterThan") is not null)
        {
            violations.Add("the abort rule must cover the whole bucket (no Prefix or filters)");
        }

        if (Text(Get(Get(rule, "AbortIncompleteMultipartUpload"), "DaysAfterInitiation")) != "1")
        {
            violations.Add("incomplete multipart uploads must be aborted after 1 day");
        }
    }
}
