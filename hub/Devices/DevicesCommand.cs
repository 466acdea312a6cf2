using System.CommandLine;
using SupplyChain.Hub.Log;

namespace SupplyChain.Hub.Devices;

/// <summary>
/// <c>devices enroll|list|revoke</c>: manage devices in the data directory of a stopped hub (the hub holds its LiteDB
/// files exclusively while running). Enrolments and revocations are logged as hub decisions.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create(TimeProvider time)
    {
        var data = new Option<string>("--data") { Description = "The hub's data directory.", DefaultValueFactory = _ => new HubOptions().DataDirectory };
        var origin = new Option<string>("--origin") { Description = "The log's origin (Log:Origin).", DefaultValueFactory = _ => new LogOptions().Origin };
        var actor = new Option<string>("--actor") { Description = "Who decides; logged with the decision.", DefaultValueFactory = _ => Environment.UserName };
        var postgres = Storage.PostgresOption.Create();
        var id = new Option<string>("--id") { Description = "Device id (1-64 of A-Z a-z 0-9 . _ -); also its MQTT client id and user name.", Required = true };

        var key = new Option<string>("--key") { Description = "The device's raw 32-byte Ed25519 public key, base64.", Required = true };
        var site = new Option<string>("--site") { Description = "GLN of the device's site.", Required = true };
        var role = new Option<string>("--role") { Description = "manufacturer, warehouse, pharmacy or sensor.", Required = true };
        var password = new Option<string?>("--password") { Description = "MQTT password (at least 16 characters); generated and printed once if omitted." };
        var enroll = new Command("enroll", "Enrol a device: log the decision and store its key, site, role and password hash.")
        {
            data, postgres, origin, actor, id, key, site, role, password,
        };
        enroll.SetAction((result, cancellationToken) => RunAsync(result, time, cancellationToken, async (devices, output) =>
        {
            var outcome = await devices.Enrolment.EnrollAsync(
                new EnrolRequest(result.GetValue(id)!, result.GetValue(key)!, result.GetValue(site)!, result.GetValue(role)!, result.GetValue(password), result.GetValue(actor)!),
                cancellationToken);
            if (!outcome.IsSuccess)
            {
                return Refuse(result, outcome.Error!);
            }

            var device = outcome.Device!;
            output.WriteLine($"enrolled {device.Id} (key id {device.KeyId}, site {device.Site}, {DeviceRoles.Name(device.Role)}) at log index {device.EnrolledIndex}");
            if (outcome.GeneratedPassword is { } generated)
            {
                output.WriteLine($"MQTT password (shown once, store it on the device): {generated}");
            }

            return 0;
        }));

        var list = new Command("list", "List enrolled devices.") { data, postgres, origin };
        list.SetAction((result, cancellationToken) => RunAsync(result, time, cancellationToken, (devices, output) =>
        {
            output.WriteLine("id\tstatus\trole\tsite\tkey id\tenrolled\trevoked");
            foreach (var device in devices.Registry.List())
            {
                var status = device.IsActive ? "active" : "revoked";
                var revoked = device.RevokedAt is { } at ? $"{DeviceDecision.FormatTime(at)} ({device.RevokedReason})" : "-";
                output.WriteLine($"{device.Id}\t{status}\t{DeviceRoles.Name(device.Role)}\t{device.Site}\t{device.KeyId}\t{DeviceDecision.FormatTime(device.EnrolledAt)}\t{revoked}");
            }

            return Task.FromResult(0);
        }));

        var reason = new Option<string>("--reason") { Description = "Why the device is revoked; logged.", Required = true };
        var revoke = new Command("revoke", "Revoke a device: log the decision; the hub refuses it from then on.") { data, postgres, origin, actor, id, reason };
        revoke.SetAction((result, cancellationToken) => RunAsync(result, time, cancellationToken, async (devices, output) =>
        {
            var outcome = await devices.Enrolment.RevokeAsync(result.GetValue(id)!, result.GetValue(reason)!, result.GetValue(actor)!, cancellationToken);
            if (!outcome.IsSuccess)
            {
                return Refuse(result, outcome.Error!);
            }

            output.WriteLine($"revoked {outcome.Device!.Id} at log index {outcome.Device.RevokedIndex}");
            return 0;
        }));

        return new Command("devices", "Enrol, list and revoke devices (while the hub is stopped).") { enroll, list, revoke, Broker.MosquittoExportCommand.Create() };

        async Task<int> RunAsync(ParseResult result, TimeProvider clock, CancellationToken cancellationToken, Func<OfflineDevices, TextWriter, Task<int>> action)
        {
            OfflineDevices devices;
            try
            {
                devices = await OfflineDevices.OpenAsync(result.GetValue(data)!, result.GetValue(origin)!, result.GetValue(postgres), clock, cancellationToken);
            }
            catch (IOException exception)
            {
                return Refuse(result, $"cannot open the data directory ({exception.Message}); is the hub running? Stop it first.");
            }
            catch (Npgsql.NpgsqlException exception)
            {
                return Refuse(result, $"cannot reach the PostgreSQL database ({exception.Message}).");
            }
            catch (InvalidOperationException exception)
            {
                // The stored log or hub key failed its start-up check: nothing may be appended to it.
                return Refuse(result, exception.Message);
            }

            await using (devices)
            {
                return await action(devices, result.InvocationConfiguration.Output);
            }
        }
    }

    private static int Refuse(ParseResult result, string error)
    {
        result.InvocationConfiguration.Error.WriteLine($"error: {error}");
        return 1;
    }
}
