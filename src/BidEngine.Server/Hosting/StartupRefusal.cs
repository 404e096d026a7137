using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>
/// What stops the start: the same exception as a failed options validation, so that the entry
/// point reports a file that does not load exactly like a bad setting, naming the setting.
/// </summary>
internal static class StartupRefusal
{
    /// <summary>The options name is empty: the bidder has one, unnamed, set of options.</summary>
    public static OptionsValidationException Because(params string[] reasons) => new(string.Empty, typeof(BidEngineOptions), reasons);
}
