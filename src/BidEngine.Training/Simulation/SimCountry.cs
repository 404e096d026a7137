namespace BidEngine.Training.Simulation;

/// <summary>A country of simulated traffic: ISO alpha-3 code, share of traffic, regions and their UTC offsets in minutes.</summary>
internal sealed record SimCountry(string Code, double Weight, string[] Regions, int[] OffsetMinutes);
