# The app's container image, for the ECS service in deploy/cleancognito.yaml (docs/aws-deployment.md).
#   docker build -t cleancognito .
# On a machine without Microsoft's registry, dev/image/base-images.sh builds stand-in base images
# and tests/Image.Tests builds and runs this file as shipped (docs/aws-deployment.md).
# Two stages: the SDK builds and publishes; the runtime image holds only the published app and runs
# it as the image's unprivileged "app" user on port 8080.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files alone, so a code change reuses the restored layer.
# .editorconfig too: it sets the analyzers that TreatWarningsAsErrors enforces (without it the
# publish stops on warnings the repository has switched off).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Application/Application.csproj src/Application/
COPY src/Infrastructure/Infrastructure.csproj src/Infrastructure/
COPY src/Web/Web.csproj src/Web/
RUN dotnet restore src/Web/Web.csproj
COPY src/ src/
RUN dotnet publish src/Web/Web.csproj --configuration Release --no-restore --output /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# curl serves the health check only; the runtime image has no HTTP client of its own.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app ./
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    DOTNET_NOLOGO=1
EXPOSE 8080
# The image's built-in unprivileged user (APP_UID=1654): the app never runs as root.
USER $APP_UID
# The probe asks the port the app listens on (the first of ASPNETCORE_HTTP_PORTS, 8080 unless a
# deployment overrides it), so overriding the port does not turn a healthy container unhealthy.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${ASPNETCORE_HTTP_PORTS%%;*}/health/live" || exit 1
ENTRYPOINT ["dotnet", "CleanCognito.Web.dll"]
