namespace SupplyChain.Hub.Users;

/// <summary>
/// Opens the user store when the hub starts rather than at the first request: from then on the hub holds
/// <c>users.db.lock</c>, so <c>users add</c> is refused while it runs instead of racing it, and a store that cannot be
/// opened stops the start with its error.
/// </summary>
internal sealed class UserStoreStartup(IUserStore users) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Reading every record also proves the file readable (a broken record throws InvalidDataException).
        _ = users.List();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
