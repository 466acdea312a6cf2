namespace SupplyChain.Hub.Devices;

internal static class DeviceServices
{
    /// <summary>The device registry (<c>devices.db</c> in the data directory, or PostgreSQL) and enrolment.</summary>
    public static WebApplicationBuilder AddDevices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IDeviceRegistry>(services => Storage.StorageServices.UsesPostgres(services)
            ? new PostgresDeviceRegistry(services.GetRequiredService<Npgsql.NpgsqlDataSource>())
            : new LiteDbDeviceRegistry(Path.Combine(HubServices.DataDirectory(services), LiteDbDeviceRegistry.FileName)));
        builder.Services.AddSingleton<DeviceEnrolment>();
        return builder;
    }
}
