using CleanCognito.Application.Common.Behaviours;
using CleanCognito.Application.Files.Uploads;
using CleanCognito.Web.Antiforgery;
using CleanCognito.Web.Authentication;
using CleanCognito.Web.Configuration;
using CleanCognito.Web.ErrorHandling;
using CleanCognito.Web.Middleware;
using CleanCognito.Web.Telemetry;
using Microsoft.AspNetCore.Mvc;

namespace CleanCognito.Web;

public static class DependencyInjection
{
    /// <summary>Registers the Web layer: the mediator, pages, error handling and security headers.</summary>
    public static IServiceCollection AddWebServices(this IServiceCollection services, IConfiguration configuration)
    {
        // The only AddMediator call: the source generator lives in this project.
        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection), typeof(DependencyInjection)];
            options.PipelineBehaviors = [typeof(ValidationBehaviour<,>)];
        });

        services.AddCognitoAuthentication();
        // ServiceFilter resolves the filter from DI per request (it is scoped and logs).
        services.AddRazorPages(options => options.Conventions.ConfigureFilter(new ServiceFilterAttribute(typeof(ApplicationExceptionPageFilter))))
            // No client-side validation script ships, and its markup breaks the CSP: an empty
            // validation summary carries <li style="display:none"> (refused by style-src 'self').
            .AddViewOptions(options => options.HtmlHelperOptions.ClientValidationEnabled = false);
        services.ReuseAntiforgeryTokens();
        services.AddScoped<ApplicationExceptionPageFilter>();
        services.AddExceptionHandler<UnhandledExceptionHandler>();
        services.AddProblemDetails();

        // The bucket's origin for the browser's part uploads (connect-src), as the presigner gives it.
        services.AddSingleton(sp => new SecurityHeadersPolicy(FormActionOrigins(configuration), sp.GetService<UploadOrigin>()?.Value));
        services.AddSharedDataProtection();

        // Selected by name in appsettings.Local.json ("FormatterName": "local"); elsewhere JSON stays.
        services.AddLogging(logging => logging.AddConsoleFormatter<Logging.LocalConsoleFormatter, Logging.LocalConsoleFormatterOptions>());
        // The sign-in callback's code and state never reach a log, whatever the levels (Logging/).
        Logging.RedactingLoggerFactory.Register(services);

        // OpenTelemetry over OTLP, only when an endpoint is configured (Telemetry/).
        services.AddTelemetry(configuration);
        return services;
    }

    /// <summary>Origins a form may post or be redirected to: the Cognito domain (logout redirects there).</summary>
    private static IEnumerable<string> FormActionOrigins(IConfiguration configuration)
    {
        var domain = configuration["Cognito:Domain"];
        if (Uri.TryCreate(domain, UriKind.Absolute, out var uri))
        {
            yield return uri.GetLeftPart(UriPartial.Authority);
        }
    }
}
