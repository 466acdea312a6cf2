using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace SupplyChain.Hub.Api;

/// <summary>
/// Bad input that the framework finds before a handler runs (a body that is not JSON or has wrong types, a wrong
/// content type, a query value of the wrong type: <see cref="BadHttpRequestException"/> once
/// <c>RouteHandlerOptions.ThrowOnBadRequest</c> is set) becomes a ProblemDetails with the exception's 4xx status and
/// its message as the detail, never a 500. Being handled here, it is not logged as an error.
/// </summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException { StatusCode: >= 400 and < 500 } bad || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = bad.StatusCode, Title = TitleOf(bad.StatusCode), Detail = DetailOf(bad) },
        });
    }

    // The JSON reader's reason ends with where it failed: "… Path: $.scan | LineNumber: 0 | BytePositionInLine: 11."
    // Only that part is passed on; the rest names the hub's internal types.
    private static string DetailOf(BadHttpRequestException bad) =>
        bad.InnerException is System.Text.Json.JsonException { Message: { } reason } && reason.IndexOf("Path:", StringComparison.Ordinal) is >= 0 and var at
            ? $"{bad.Message} Wrong JSON at {reason[(at + "Path:".Length)..].Trim()}"
            : bad.Message;

    private static string TitleOf(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "Body too large",
        StatusCodes.Status415UnsupportedMediaType => "Unsupported content type",
        _ => "Bad request",
    };
}
