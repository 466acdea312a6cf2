using System.CommandLine;
using SupplyChain.Hub.Devices;

namespace SupplyChain.Hub.Broker;

/// <summary>
/// <c>devices export-mosquitto --acl FILE [--passwords FILE] [--local FILE]</c>: writes the Mosquitto ACL from the device
/// registry of a stopped hub (plus hand-written blocks such as site bridges) and prunes the password file to the active
/// devices, the hub's user and the users of the hand-written blocks (firmware-config/mosquitto/README.md).
/// Mosquitto reads both again on SIGHUP.
/// </summary>
internal static class MosquittoExportCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The hub's data directory.", DefaultValueFactory = _ => new HubOptions().DataDirectory };
        var acl = new Option<string>("--acl") { Description = "The Mosquitto acl_file to write (replaced).", Required = true };
        var passwords = new Option<string?>("--passwords") { Description = "A Mosquitto password_file to prune: users that are not active devices (or the hub) are removed." };
        var local = new Option<string?>("--local") { Description = "Hand-written ACL blocks (site bridges) appended to the generated ACL; their users stay in the password file." };
        var hubUser = new Option<string>("--hub-user") { Description = "The hub's MQTT user name (Broker:External:Username).", DefaultValueFactory = _ => EmbeddedBroker.HubClientId };
        var postgres = Storage.PostgresOption.Create();
        var command = new Command("export-mosquitto", "Write the Mosquitto ACL for the devices (and prune its password file) for the external-broker mode.")
        {
            data, acl, passwords, local, hubUser, postgres,
        };
        command.SetAction(result =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            List<DeviceRecord> devices;
            try
            {
                if (result.GetValue(postgres) is { } connectionString)
                {
                    // The devices table is shared by every hub instance and readable while they run.
                    using var dataSource = Storage.PostgresOption.Open(connectionString);
                    devices = [.. new PostgresDeviceRegistry(dataSource).List()];
                }
                else
                {
                    using var registry = new LiteDbDeviceRegistry(Path.Combine(result.GetValue(data)!, LiteDbDeviceRegistry.FileName));
                    devices = [.. registry.List()];
                }
            }
            catch (Npgsql.NpgsqlException exception)
            {
                error.WriteLine($"error: cannot read the devices from PostgreSQL ({exception.Message}).");
                return 1;
            }
            catch (IOException exception)
            {
                error.WriteLine($"error: cannot open the device registry ({exception.Message}); is the hub running? Stop it first.");
                return 1;
            }

            var hub = result.GetValue(hubUser)!;
            if (devices.Exists(d => d.Id.Value == hub))
            {
                error.WriteLine($"error: a device is enrolled as '{hub}', the hub's MQTT user; choose another --hub-user.");
                return 1;
            }

            var localText = result.GetValue(local) is { } localFile ? File.ReadAllText(localFile) : string.Empty;
            var localUsers = MosquittoAcl.Users(localText);
            if (localUsers.FirstOrDefault(user => user == hub || devices.Exists(d => d.Id.Value == user)) is { } clash)
            {
                error.WriteLine($"error: --local names user '{clash}', which is the hub or an enrolled device; the generated ACL owns those.");
                return 1;
            }

            var active = devices.Where(d => d.IsActive).Select(d => d.Id.Value).ToList();
            var aclText = MosquittoAcl.Render(devices, hub);
            if (localText.Length > 0)
            {
                aclText += $"\n# From {result.GetValue(local)}.\n{localText.TrimEnd('\n')}\n";
            }

            WriteReplacing(result.GetValue(acl)!, aclText);
            output.WriteLine($"wrote {result.GetValue(acl)} for {active.Count} active devices");

            if (result.GetValue(passwords) is { } passwordFile)
            {
                var current = File.Exists(passwordFile) ? File.ReadAllText(passwordFile) : string.Empty;
                var prune = MosquittoPasswordFile.Prune(current, new HashSet<string>(active.Append(hub).Concat(localUsers), StringComparer.Ordinal), active);
                WriteReplacing(passwordFile, prune.Text);
                foreach (var user in prune.Removed)
                {
                    output.WriteLine($"removed {user} from {passwordFile} (not an active device)");
                }

                foreach (var user in prune.Missing)
                {
                    output.WriteLine($"missing: {user} has no password in {passwordFile}; add it with: mosquitto_passwd -b {passwordFile} {user} <its MQTT password>");
                }
            }

            output.WriteLine("reload Mosquitto to apply: systemctl reload mosquitto (SIGHUP)");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Writes beside the target and renames over it, so Mosquitto never reads half a file. Mode 0640: the files hold
    /// password hashes; Mosquitto reads them through the group (firmware-config/mosquitto/README.md).
    /// </summary>
    private static void WriteReplacing(string path, string text)
    {
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
