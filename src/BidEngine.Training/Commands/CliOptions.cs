using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace BidEngine.Training.Commands;

/// <summary>
/// Options with a default and a range: a value outside it stops the run with a message naming the option,
/// and help shows the default. Integers may group digits with '_' (--events 12_000_000).
/// </summary>
internal static class CliOptions
{
    public static Option<string> Text(string name, string fallback, string description) => new(name)
    {
        Description = description,
        HelpName = "value",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<int> Int(string name, int fallback, int min, int max, string description) => new(name)
    {
        Description = description + string.Create(CultureInfo.InvariantCulture, $" ({min}..{max})"),
        HelpName = "n",
        DefaultValueFactory = _ => fallback,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be an integer in {min}..{max}, got '{text}'"));
            return fallback;
        },
    };

    public static Option<double> Double(string name, double fallback, double min, double max, string description) => new(name)
    {
        Description = description + string.Create(CultureInfo.InvariantCulture, $" ({min}..{max})"),
        HelpName = "x",
        DefaultValueFactory = _ => fallback,
        CustomParser = r =>
        {
            var text = r.Tokens[0].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            {
                return value;
            }

            r.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be a number in {min}..{max}, got '{text}'"));
            return fallback;
        },
    };

    /// <summary>"--name true|false"; "--name" alone means true.</summary>
    public static Option<bool> Bool(string name, bool fallback, string description) => new(name)
    {
        Description = description,
        HelpName = "true|false",
        Arity = ArgumentArity.ZeroOrOne,
        DefaultValueFactory = _ => fallback,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0)
            {
                return true;
            }

            var text = r.Tokens[0].Value;
            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            r.AddError($"{name} must be true or false, got '{text}'");
            return fallback;
        },
    };

    /// <summary>Adds the options to the command and returns it, for one-expression command definitions.</summary>
    public static Command With(this Command command, params Option[] options)
    {
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        return command;
    }
}
