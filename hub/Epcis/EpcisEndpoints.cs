using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;
using SupplyChain.Hub.Log;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Epcis;

/// <summary>
/// EPCIS 2.0 query and export under <c>/v1/epcis</c> (docs/API.md "EPCIS 2.0"), for any signed-in user: the devices'
/// signed events as logged, filtered by the <c>SimpleEventQuery</c> parameters of <see cref="EpcisQuery"/>. Both scan
/// the log in index order up to the latest checkpoint; a query page scans at most <see cref="EpcisOptions.MaxScan"/> entries.
/// </summary>
internal static class EpcisEndpoints
{
    // Flushing every few events keeps an export's memory to one batch, whatever its length.
    private const int FlushEvery = 64;

    public static WebApplicationBuilder AddEpcis(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EpcisOptions>().BindConfiguration(EpcisOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return builder;
    }

    public static IEndpointRouteBuilder MapEpcisApi(this IEndpointRouteBuilder app)
    {
        var epcis = app.MapGroup("/v1/epcis").WithTags("EPCIS").RequireAuthorization(UserPolicies.SignedIn);
        epcis.MapGet("/events", Events)
            .Produces(StatusCodes.Status200OK, contentType: EpcisJson.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("EPCIS 2.0 SimpleEventQuery: one page of an EPCISQueryDocument, Link rel=\"next\" when there is more")
            .AddOpenApiOperationTransformer((operation, _, _) => DescribeParameters(operation, paged: true));
        epcis.MapGet("/export", Export)
            .Produces(StatusCodes.Status200OK, contentType: EpcisJson.MediaType)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Every matching event as one streamed EPCISDocument (attachment)")
            .AddOpenApiOperationTransformer((operation, _, _) => DescribeParameters(operation, paged: false));
        return app;
    }

    private static Results<PushStreamHttpResult, ProblemHttpResult> Events(HttpContext context, LogReader log, TimeProvider time, IOptions<EpcisOptions> options)
    {
        if (!EpcisQuery.TryParse(context.Request.Query, paged: true, out var query, out var problem))
        {
            return BadParameter(problem);
        }

        var source = new EpcisEventSource(log);
        var end = source.Size;
        long start = 0;
        if (query.PageToken is { } text)
        {
            if (!EpcisPageToken.TryDecode(text, query.Fingerprint, end, out var token, out var why))
            {
                return BadParameter(new QueryProblem(EpcisQuery.NextPageTokenName, why));
            }

            start = token.NextIndex;
        }

        var scanned = new StrongBox<long>(start);
        var page = new List<LoggedEvent>(Math.Min(query.PerPage, 64));
        long? next = null;
        foreach (var logged in source.Read(start, Math.Min(end, start + options.Value.MaxScan), query, scanned))
        {
            if (page.Count == query.PerPage)
            {
                next = logged.Index;
                break;
            }

            page.Add(logged);
        }

        // The scan stopped at its bound before the end: the rest is on the next page, however few this one holds.
        if (next is null && scanned.Value < end)
        {
            next = scanned.Value;
        }

        SetVersionHeaders(context.Response);
        if (next is { } index)
        {
            context.Response.Headers.Link = $"<{NextPageUri(context.Request, new EpcisPageToken(index).Encode(query.Fingerprint))}>; rel=\"next\"";
        }

        var now = time.GetUtcNow();
        return TypedResults.Stream(
            async body =>
            {
                await using var writer = new Utf8JsonWriter(body);
                EpcisJson.WriteQueryStart(writer, now, end);
                foreach (var logged in page)
                {
                    EpcisJson.WriteEvent(writer, logged);
                }

                EpcisJson.WriteQueryEnd(writer);
                await writer.FlushAsync(context.RequestAborted);
            },
            EpcisJson.MediaType);
    }

    private static Results<PushStreamHttpResult, ProblemHttpResult> Export(HttpContext context, LogReader log, TimeProvider time)
    {
        if (!EpcisQuery.TryParse(context.Request.Query, paged: false, out var query, out var problem))
        {
            return BadParameter(problem);
        }

        var source = new EpcisEventSource(log);
        var end = source.Size;
        var now = time.GetUtcNow();
        SetVersionHeaders(context.Response);
        return TypedResults.Stream(
            async body =>
            {
                var cancellationToken = context.RequestAborted;
                await using var writer = new Utf8JsonWriter(body);
                EpcisJson.WriteDocumentStart(writer, now, end);
                var written = 0;
                foreach (var logged in source.Read(0, end, query, new StrongBox<long>(0)))
                {
                    EpcisJson.WriteEvent(writer, logged);
                    if (++written % FlushEvery == 0)
                    {
                        await writer.FlushAsync(cancellationToken);
                    }
                }

                EpcisJson.WriteDocumentEnd(writer);
                await writer.FlushAsync(cancellationToken);
            },
            EpcisJson.MediaType,
            $"coldtrace-epcis-{end}.jsonld");
    }

    // The handlers read the query string themselves (unknown names are errors), so the framework sees no parameters.
    private static Task DescribeParameters(OpenApiOperation operation, bool paged)
    {
        operation.Parameters ??= [];
        foreach (var (name, description) in EpcisQuery.Described.Where(p => paged || p.Name is not (EpcisQuery.PerPageName or EpcisQuery.NextPageTokenName)))
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Description = description,
                Schema = new OpenApiSchema { Type = name == EpcisQuery.PerPageName ? JsonSchemaType.Integer : JsonSchemaType.String },
            });
        }

        return Task.CompletedTask;
    }

    // EPCIS 2.0 REST binding: the versions of the standards the answer follows.
    private static void SetVersionHeaders(HttpResponse response)
    {
        response.Headers["GS1-EPCIS-Version"] = "2.0.0";
        response.Headers["GS1-CBV-Version"] = "2.0.0";
    }

    private static string NextPageUri(HttpRequest request, string token)
    {
        var query = request.Query
            .Where(p => p.Key != EpcisQuery.NextPageTokenName)
            .Select(p => KeyValuePair.Create(p.Key, p.Value))
            .Append(KeyValuePair.Create(EpcisQuery.NextPageTokenName, new StringValues(token)));
        return request.PathBase + request.Path + QueryString.Create(query);
    }

    private static ProblemHttpResult BadParameter(QueryProblem problem) =>
        TypedResults.Problem(
            title: "Bad query parameter",
            detail: $"{problem.Parameter}: {problem.Detail}.",
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["parameter"] = problem.Parameter });
}
