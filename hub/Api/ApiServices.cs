namespace SupplyChain.Hub.Api;

/// <summary>What every endpoint shares: ProblemDetails for all bad input, the request body limit and the OpenAPI document.</summary>
internal static class ApiServices
{
    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        // Binding failures throw BadHttpRequestException (with the reason) instead of answering an empty 400, so
        // BadRequestExceptionHandler can turn each into a ProblemDetails naming what was wrong.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddOpenApi(OpenApiDocumentation.Configure);
        return builder;
    }

    /// <summary>Before authentication, so a huge body is refused before anything reads it.</summary>
    public static WebApplication UseApi(this WebApplication app)
    {
        app.UseRequestBodyLimit();
        return app;
    }

    /// <summary><c>GET /openapi/v1.json</c>, open like the log API: it describes, it does not reveal.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi(OpenApiDocumentation.Path);
        return app;
    }
}
