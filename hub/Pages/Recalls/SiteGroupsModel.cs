using SupplyChain.Hub.Recalls;
using SupplyChain.Hub.Web;

namespace SupplyChain.Hub.Pages.Recalls;

/// <summary>The affected packs grouped by the party holding them, with how to name the sites (partial <c>_SiteGroups</c>).</summary>
internal sealed record SiteGroupsModel(IReadOnlyList<SiteGroup> Groups, SiteLabels Sites);
