using CleanCognito.Infrastructure.Configuration;
using Microsoft.Extensions.Options;

namespace CleanCognito.Web.Configuration;

internal static class StartupErrors
{
    /// <summary>
    /// Runs the app; a configuration that fails validation at start-up is reported as one line per
    /// problem on stderr (naming the key and how to set it) with exit code 1, instead of a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app)
    {
        // Text that is not a number or boolean would make the binder throw with a stack trace (exit
        // 134): check the raw settings first and name each key with the accepted range.
        if (SettingTypes.Problems(app.Configuration) is { Count: > 0 } typeProblems)
        {
            await ReportAsync(typeProblems);
            return 1;
        }

        try
        {
            // Validate before the host starts: a failure inside StartAsync is also logged by the
            // host with its stack trace, which is the wall of text this is here to avoid.
            app.Services.GetService<IStartupValidator>()?.Validate();
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ConfigurationProblems(ex) is { Count: > 0 } problems)
        {
            await ReportAsync(problems);
            return 1;
        }
    }

    private static async Task ReportAsync(IEnumerable<string> problems)
    {
        foreach (var problem in problems)
        {
            await Console.Error.WriteLineAsync($"Configuration error: {problem}");
        }
    }

    /// <summary>The validation failures inside <paramref name="exception"/>, or none if it is not a configuration problem.</summary>
    public static IReadOnlyList<string> ConfigurationProblems(Exception exception) =>
        exception switch
        {
            OptionsValidationException options => options.Failures.ToList(),
            // The same failure can surface twice (AppSync's resilience options read AppSyncOptions
            // too): report each problem once.
            AggregateException aggregate => aggregate.InnerExceptions.SelectMany(ConfigurationProblems).Distinct(StringComparer.Ordinal).ToList(),
            _ => [],
        };
}
