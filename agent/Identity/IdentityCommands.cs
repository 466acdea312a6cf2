using System.CommandLine;
using Microsoft.Extensions.Options;
using SupplyChain.Agent.Station;

namespace SupplyChain.Agent.Identity;

/// <summary><c>coldtrace-agent keygen</c> and <c>coldtrace-agent identity</c>: make or show the device key and its enrolment line.</summary>
internal static class IdentityCommands
{
    public static Command Keygen(Func<string[], IHost> buildHost) =>
        Create("keygen", "Create the device key if there is none, and print the device id, key id, public key and enrolment line.", buildHost, create: true);

    public static Command Show(Func<string[], IHost> buildHost) =>
        Create("identity", "Print the device id, key id, public key (base64) and the hub enrolment line.", buildHost, create: false);

    private static Command Create(string name, string description, Func<string[], IHost> buildHost, bool create)
    {
        var command = new Command(name, description) { TreatUnmatchedTokensAsErrors = false };
        command.SetAction(parseResult =>
        {
            using var host = buildHost([.. parseResult.UnmatchedTokens]);
            StationOptions station;
            try
            {
                station = host.Services.GetRequiredService<IOptions<StationOptions>>().Value;
            }
            catch (OptionsValidationException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(e.Message);
                return 2;
            }

            using var identity = create
                ? DeviceIdentity.LoadOrCreate(station.DataDirectory, station.DeviceId)
                : DeviceIdentity.TryLoad(station.DataDirectory, station.DeviceId);
            if (identity is null)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"No device key in {station.DataDirectory} yet: run 'coldtrace-agent keygen'.");
                return 1;
            }

            var output = parseResult.InvocationConfiguration.Output;
            if (create && !identity.Created)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"A key already exists in {identity.KeyPath}; it was kept.");
            }

            output.WriteLine($"device id:  {identity.DeviceId}");
            output.WriteLine($"key id:     {identity.KeyId}");
            output.WriteLine($"public key: {identity.PublicKeyBase64}");
            output.WriteLine("enrol at the hub with:");
            output.WriteLine(EnrolmentLine.For(identity, station.SiteGln, StationRoles.EnrolledAs(station.GetRoles())));
            return 0;
        });
        return command;
    }
}
