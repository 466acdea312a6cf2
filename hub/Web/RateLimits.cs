using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SupplyChain.Hub.Web;

/// <summary>
/// The hub's rate limits (ASP.NET Core's rate limiter, fixed one-minute windows, no queue): sign-in attempts per client
/// IP address, verifications per user (or per IP address when anonymous). A refused request gets 429 with
/// <c>Retry-After</c> (RFC 9110 §10.2.3) and ProblemDetails.
/// </summary>
internal static partial class RateLimits
{
    /// <summary>Sign-in form posts (<see cref="WebOptions.SignInPerMinute"/>); showing the form is not limited.</summary>
    public const string SignIn = "sign-in";

    /// <summary>Verifications from the page and <c>POST /v1/verify</c> (<see cref="WebOptions.VerifyPerMinute"/>).</summary>
    public const string Verify = "verify";

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void Add(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.AddPolicy(SignIn, context =>
            HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("show")
                : RateLimitPartition.GetFixedWindowLimiter("ip:" + ClientAddress(context), _ => Fixed(Limits(context).SignInPerMinute)));
        options.AddPolicy(Verify, context =>
            RateLimitPartition.GetFixedWindowLimiter(
                context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "user:" + name : "ip:" + ClientAddress(context),
                _ => Fixed(Limits(context).VerifyPerMinute)));
        options.OnRejected = RejectAsync;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? (int)Math.Ceiling(retryAfter.TotalSeconds)
            : (int)Window.TotalSeconds;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var endpoint = context.GetEndpoint()?.DisplayName ?? context.Request.Path.ToString();
        LogRejected(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits)), endpoint, context.User.Identity?.Name ?? "-", ClientAddress(context));
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = $"Slow down: try again in {seconds} s.",
            },
        });
    }

    private static FixedWindowRateLimiterOptions Fixed(int permits) =>
        new() { PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true };

    private static WebOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<WebOptions>>().Value;

    private static string ClientAddress(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate limit hit on {Endpoint} by {Actor} from {Address}")]
    private static partial void LogRejected(ILogger logger, string endpoint, string actor, string address);
}
