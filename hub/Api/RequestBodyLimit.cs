using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace SupplyChain.Hub.Api;

/// <summary>
/// Every <c>/v1</c> request body is at most <see cref="MaxBytes"/> (docs/API.md "Errors"); a longer one is refused with
/// a 413 ProblemDetails before any endpoint reads it. A declared <c>Content-Length</c> is checked at once; a chunked body
/// is read into a buffer up to the limit first. (Without this, bodies up to Kestrel's 30 MB were bound, and a longer
/// chunked one surfaced as a 400 from the JSON binding rather than a 413.)
/// </summary>
internal static class RequestBodyLimit
{
    /// <summary>1 MiB: the largest request (a release of 1,000 packs as scans) is under 100 KiB.</summary>
    public const long MaxBytes = 1024 * 1024;

    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        if (request.ContentLength > MaxBytes)
        {
            await RefuseAsync(context);
            return;
        }

        if (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = MaxBytes;
            }

            request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: MaxBytes);
            try
            {
                await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await RefuseAsync(context);
                return;
            }
            catch (IOException)
            {
                // EnableBuffering's own limit ("Request content size exceeded the buffer limit").
                await RefuseAsync(context);
                return;
            }

            request.Body.Position = 0;
        }

        await next(context);
    });

    private static async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Title = "Body too large",
                Detail = $"A request body may be at most {MaxBytes} bytes.",
            },
        });
    }
}
