using CleanCognito.Application;
using CleanCognito.Infrastructure;
using CleanCognito.Infrastructure.Configuration;
using CleanCognito.Infrastructure.Health;
using CleanCognito.Web;
using CleanCognito.Web.Authentication;
using CleanCognito.Web.Configuration;
using CleanCognito.Web.ErrorHandling;
using CleanCognito.Web.Middleware;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddFlaskCognitoLibEnvironmentVariables();
if (builder.Environment.IsLocal())
{
    // Unpublished builds serve wwwroot through the static web assets manifest, which also holds the
    // compressed files MapStaticAssets picks for browsers (Accept-Encoding: gzip). ASP.NET Core
    // enables it only in Development; without it Local served the stylesheet as an empty 200.
    builder.WebHost.UseStaticWebAssets();
}

builder.Services
    .AddApplicationServices()
    .AddInfrastructureServices()
    .AddWebServices(builder.Configuration);

var app = builder.Build();

app.UseMiddleware<CorrelationIdMiddleware>();
app.UseMiddleware<SecurityHeadersMiddleware>();

// Behind a TLS-terminating proxy set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true: the framework then
// applies X-Forwarded-Proto/-For before this pipeline, so the checks below see https.
if (!app.Environment.IsLocal())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/Errors",
    StatusCodeSelector = exception => ApplicationErrors.StatusCodeFor(exception) ?? StatusCodes.Status500InternalServerError,
    AllowStatusCode404Response = true,
    // UnhandledExceptionHandler logs each exception once, with the correlation id the page shows.
    SuppressDiagnosticsCallback = _ => true,
});
app.UseStatusCodePagesWithReExecute("/Errors/{0}");

app.UseRouting();
app.UseAuthentication();
app.UseEndedSessionsAsAnonymous();
app.UseNotFoundForUnknownPaths();
app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions
{
    Predicate = check => check.Tags.Contains(UpstreamHealthCheckExtensions.ReadyTag),
    ResponseWriter = HealthReportWriter.WriteAsync,
}).AllowAnonymous();
app.MapStaticAssets().AllowAnonymous();
app.MapRazorPages().WithStaticAssets();

return await StartupErrors.RunAsync(app);

/// <summary>The entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
