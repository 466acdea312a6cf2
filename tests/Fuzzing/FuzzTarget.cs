namespace SupplyChain.Fuzzing;

/// <summary>
/// One parser under fuzzing. <see cref="Run"/> feeds it one input: a clean rejection (a false result, an error value) is
/// fine; an exception escaping <see cref="Run"/> is a crash, because every parser here promises a result for bad input.
/// </summary>
/// <param name="Name">The name on the command line and the corpus folder name (<c>tests/Fuzzing/corpus/{name}</c>).</param>
/// <param name="Covers">The contracts entry points the target drives.</param>
/// <param name="Run">Runs one input.</param>
internal sealed record FuzzTarget(string Name, string Covers, Action<byte[]> Run);
