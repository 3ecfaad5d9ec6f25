namespace LeakAnalyzers.Tool;

using System;
using System.Globalization;

/// <summary>Durations as people type them: 30s, 500ms, 5m, 1h, or a number of seconds.</summary>
internal static class Interval
{
    internal static TimeSpan Parse(string text, string option)
    {
        string value = text.Trim();
        (string number, double scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (value[..^2], 0.001),
            _ when value.EndsWith('s') || value.EndsWith('S') => (value[..^1], 1.0),
            _ when value.EndsWith('m') || value.EndsWith('M') => (value[..^1], 60.0),
            _ when value.EndsWith('h') || value.EndsWith('H') => (value[..^1], 3600.0),
            _ => (value, 1.0),
        };

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || amount < 0 || double.IsNaN(amount) || amount * scale > 7 * 24 * 3600)
        {
            throw new ToolException($"{option} '{text}' is not a duration; write it like 30s, 500ms, 5m or 1h.");
        }

        return TimeSpan.FromSeconds(amount * scale);
    }
}
