namespace SupplyChain.Hub.Demo;

/// <summary>
/// How the demo runs: its directory (the hub's data under <c>hub/</c>, each station's under <c>stations/{id}/</c>),
/// whether that directory held an earlier demo, the hub's web address, and the time between story steps.
/// </summary>
internal sealed record DemoSettings(string Directory, bool Resumed, Uri Web, TimeSpan Pace)
{
    public string HubDirectory => Path.Combine(Directory, "hub");

    public string StationsDirectory => Path.Combine(Directory, "stations");

    /// <summary>The rest between two cycles: a new pallet every fifteen steps or so, so hours of running stay small.</summary>
    public TimeSpan Rest => Pace * 12;
}
