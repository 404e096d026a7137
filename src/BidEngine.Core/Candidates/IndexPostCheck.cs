namespace BidEngine.Core.Candidates;

/// <summary>
/// What <see cref="CampaignIndex"/> checks on an entry its lists found: the campaign's blocked countries
/// and device types, and an allow list the index did not spread over lists because the entry would
/// have sat on too many (null: the lists already answer it). Country and device 0 mean unknown, which
/// no allow list admits and no block list excludes.
/// </summary>
internal sealed class IndexPostCheck(int[]? countries, int[]? devices, int[] blockedCountries, int[] blockedDevices)
{
    public bool Passes(int country, int device) =>
        (countries is null || (country != 0 && countries.AsSpan().Contains(country)))
        && (devices is null || (device != 0 && devices.AsSpan().Contains(device)))
        && !(country != 0 && blockedCountries.AsSpan().Contains(country))
        && !(device != 0 && blockedDevices.AsSpan().Contains(device));
}
