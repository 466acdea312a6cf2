using SupplyChain.Hub.Demo;
using SupplyChain.Hub.Users;

namespace SupplyChain.Hub.Tests.Demo;

public sealed class DemoUsersTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("coldtrace-demo-users-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Issue_FreshStore_OneUserPerRoleWithWorkingTokens()
    {
        using var store = new LiteDbUserStore(Path.Combine(_directory, LiteDbUserStore.FileName));

        var users = DemoUsers.Issue(new UserAccounts(store, TimeProvider.System), store);

        Assert.Equal(Enum.GetValues<UserRole>(), users.Select(u => u.Role));
        Assert.Equal(["demo-pharmacist", "demo-quality", "demo-warehouse", "demo-auditor", "demo-admin"], users.Select(u => u.Name));
        Assert.All(users, u => Assert.Equal(u.Role, store.FindByTokenHash(ApiToken.Hash(u.Token))!.Role));
    }

    [Fact]
    public void Issue_Resumed_RevokesTheOldTokensAndIssuesNewOnesUnderNewNames()
    {
        using var store = new LiteDbUserStore(Path.Combine(_directory, LiteDbUserStore.FileName));
        var accounts = new UserAccounts(store, TimeProvider.System);
        Assert.True(accounts.Add("anna", "quality").IsSuccess);

        var first = DemoUsers.Issue(accounts, store);
        var second = DemoUsers.Issue(accounts, store);
        var third = DemoUsers.Issue(accounts, store);

        Assert.Equal("demo-quality-2", second.Of(UserRole.Quality).Name);
        Assert.Equal("demo-quality-3", third.Of(UserRole.Quality).Name);
        Assert.All(first.Concat(second), u => Assert.False(store.FindByTokenHash(ApiToken.Hash(u.Token))!.IsActive));
        Assert.All(third, u => Assert.True(store.FindByTokenHash(ApiToken.Hash(u.Token))!.IsActive));
        Assert.True(store.List().Single(u => u.Name.Value == "anna").IsActive);
    }
}
