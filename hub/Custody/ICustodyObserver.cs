using SupplyChain.Contracts.Rules;

namespace SupplyChain.Hub.Custody;

/// <summary>
/// Told of every fact <see cref="CustodyState"/> applies, once, in log order (the replay at start included), under the
/// state's lock: an index kept from these calls agrees with the rules at every <see cref="CustodyState.Read"/>. Must be
/// quick and must not call back into the state.
/// </summary>
internal interface ICustodyObserver
{
    void Applied(long index, ChainFact fact, RuleOutcome outcome);
}
