namespace BidEngine.Benchmarks.Candidates;

/// <summary>Requests of common kinds: one imp each, in the biggest cells of traffic.</summary>
internal static class CandidateRequests
{
    public static byte[] Named(string name) => name switch
    {
        "us-app-phone-300x250" => """
            {"id":"c1","at":1,"tmax":120,"cur":["USD"],"bcat":["IAB25","IAB26"],"badv":["competitor.example"],
             "imp":[{"id":"1","banner":{"w":300,"h":250,"format":[{"w":300,"h":250}]},"bidfloor":0.5,"bidfloorcur":"USD"}],
             "app":{"id":"app-77","bundle":"com.example.news","cat":["IAB12"],"publisher":{"id":"pub-9"}},
             "device":{"devicetype":4,"os":"iOS","ifa":"6D92078A-8246-4BA4-AE5B-76104861E7DC","geo":{"country":"USA","region":"CA"}},
             "user":{"id":"u-1"}}
            """u8.ToArray(),
        "de-site-pc-728x90" => """
            {"id":"c2","at":2,"tmax":100,"cur":["EUR","USD"],"bcat":["IAB25"],
             "imp":[{"id":"1","banner":{"w":728,"h":90},"bidfloor":0.8}],
             "site":{"id":"s-3","domain":"site17.example","page":"https://site17.example/a","cat":["IAB3"],"publisher":{"id":"pub-31"}},
             "device":{"devicetype":2,"os":"Windows","geo":{"country":"DEU","region":"BE"}},
             "user":{"buyeruid":"b-5"}}
            """u8.ToArray(),
        "gb-site-tablet-video" => """
            {"id":"c3","at":1,"tmax":150,
             "imp":[{"id":"1","video":{"mimes":["video/mp4"],"minduration":5,"maxduration":30,"w":640,"h":360},"bidfloor":2.0}],
             "site":{"id":"s-8","domain":"news.example","cat":["IAB12"],"publisher":{"id":"pub-2"}},
             "device":{"devicetype":5,"os":"Android","geo":{"country":"GBR"}}}
            """u8.ToArray(),
        _ => throw new ArgumentException("no request named " + name, nameof(name)),
    };
}
