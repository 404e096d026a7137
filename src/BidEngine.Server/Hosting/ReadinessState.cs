namespace BidEngine.Server.Hosting;

/// <summary>Set once campaigns are loaded and the request path is warm; <c>/readyz</c> answers from it.</summary>
internal sealed class ReadinessState
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}
