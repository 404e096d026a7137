namespace BidEngine.Training.Simulation;

/// <summary>A simulated publisher: the category its sites mostly belong to, a quality and an audience latent its sites inherit.</summary>
internal sealed record SimPublisher(int Category, double Quality, double[] Latent);
