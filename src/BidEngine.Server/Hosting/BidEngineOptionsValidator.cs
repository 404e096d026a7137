using BidEngine.Server.Options;
using Microsoft.Extensions.Options;

namespace BidEngine.Server.Hosting;

/// <summary>Checks every setting at start; a bad value stops the start with a message naming it.</summary>
internal sealed class BidEngineOptionsValidator : IValidateOptions<BidEngineOptions>
{
    public ValidateOptionsResult Validate(string? name, BidEngineOptions options)
    {
        var errors = options.Validate().ToList();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
