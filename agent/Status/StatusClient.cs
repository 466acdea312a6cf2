using System.Net.Http.Json;
using System.Text.Json;

namespace SupplyChain.Agent.Status;

/// <summary>Asks a running agent for its <see cref="AgentStatus"/> over its loopback endpoint (<see cref="StatusServer"/>).</summary>
internal static class StatusClient
{
    /// <summary>The status, or null with the reason no agent answered (nothing listening, no answer in time, not a status).</summary>
    public static async Task<(AgentStatus? Status, string? Problem)> TryReadAsync(int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Never through an http_proxy from the environment: the agent is on this box.
        using var handler = new SocketsHttpHandler { UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = timeout };
        try
        {
            var status = await http.GetFromJsonAsync(new Uri(StatusServer.Prefix(port) + "status"), StatusJson.Default.AgentStatus, cancellationToken).ConfigureAwait(false);
            return status is null ? (null, "the endpoint answered null") : (status, null);
        }
        catch (HttpRequestException e)
        {
            return (null, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return (null, $"the answer is not an agent status: {e.Message}");
        }
    }
}
