namespace BidEngine.Benchmarks.Parsing;

/// <summary>Requests the parsing benchmarks read: one typical in-app banner request, and corpus files.</summary>
internal static class SampleRequests
{
    /// <summary>A typical 2.6 in-app request with device, geo, user, regs and a supply chain: 1.2 KiB.</summary>
    public static readonly byte[] Typical = """
        {"id":"a5b1c6e8-3f1d-4c7e-9d7c-2f1e8b9a0c11","at":1,"tmax":120,"cur":["USD"],"bcat":["IAB25","IAB26"],"badv":["competitor.example"],
         "imp":[{"id":"1","banner":{"w":300,"h":250,"format":[{"w":300,"h":250},{"w":320,"h":50}],"pos":1,"api":[3,5],"ext":{"x":1}},"bidfloor":0.25,"bidfloorcur":"USD","tagid":"homepage-top","secure":1,"instl":0}],
         "app":{"id":"app-77","name":"Example News","bundle":"com.example.news","storeurl":"https://apps.example/news","cat":["IAB12"],"ver":"4.2","publisher":{"id":"pub-9","name":"Example Media"}},
         "device":{"ua":"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148","ip":"203.0.113.9","devicetype":4,"os":"iOS","osv":"17.0","make":"Apple","model":"iPhone","hwv":"15","w":390,"h":844,"pxratio":3.0,"js":1,"language":"en","carrier":"Example Mobile","connectiontype":6,"ifa":"6D92078A-8246-4BA4-AE5B-76104861E7DC","lmt":0,
                   "geo":{"country":"USA","region":"CA","city":"San Francisco","zip":"94103","lat":37.77,"lon":-122.42,"type":2,"utcoffset":-480}},
         "user":{"id":"u-1","buyeruid":"b-77","yob":1985,"gender":"F","ext":{"consent":"CPXxRfAPXxRfAAfKABENB-CgAAAAAAAAAAYgAAAAAAAA"}},
         "regs":{"coppa":0,"gdpr":0,"us_privacy":"1YNN"},
         "source":{"tid":"t-1","schain":{"complete":1,"ver":"1.0","nodes":[{"asi":"exchange.example","sid":"1","hp":1},{"asi":"reseller.example","sid":"77","hp":1}]}}}
        """u8.ToArray();
}
