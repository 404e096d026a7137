namespace BidEngine.Training.Simulation;

/// <summary>A device profile: OpenRTB device type, OS as sent (mixed case on purpose), make.</summary>
internal sealed record SimDevice(int DeviceType, string Os, string? Make, double Weight, bool IsApp);
