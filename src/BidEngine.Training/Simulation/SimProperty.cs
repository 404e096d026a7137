namespace BidEngine.Training.Simulation;

/// <summary>
/// A simulated site or app. <see cref="Quality"/>, <see cref="Category"/> and <see cref="Latent"/>
/// are hidden from the model: it only sees the domain or bundle, the publisher and the tag ids.
/// </summary>
internal sealed record SimProperty(
    bool IsApp,
    string Name,
    string PublisherId,
    int Category,
    double Quality,
    double[] Latent,
    SimPlacement[] Placements);
