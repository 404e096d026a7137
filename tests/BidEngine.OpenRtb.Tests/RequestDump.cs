using System.Text;
using BidEngine.OpenRtb.Request;

namespace BidEngine.OpenRtb.Tests;

/// <summary>A plain text rendering of everything the parser keeps, to compare two parses of one body.</summary>
internal static class RequestDump
{
    public static string Of(BidRequest r)
    {
        var t = r.Text;
        var sb = new StringBuilder();
        sb.Append($"id={t.GetString(r.Id)} tmax={r.Tmax} at={r.AuctionType} test={r.Test}\n");
        sb.Append($"cur={Join(r, r.Cur)} bcat={Join(r, r.Bcat)} badv={Join(r, r.Badv)} bapp={Join(r, r.Bapp)} wseat={Join(r, r.Wseat)} bseat={Join(r, r.Bseat)}\n");
        for (var i = 0; i < r.Imps.Count; i++)
        {
            var imp = r.Imps[i];
            sb.Append($"imp id={t.GetString(imp.Id)} floor={imp.BidFloor} cur={t.GetString(imp.BidFloorCur)} tag={t.GetString(imp.TagId)} instl={imp.Instl} secure={imp.Secure}\n");
            var b = imp.Banner;
            sb.Append($" banner={b.Present} {b.W}x{b.H} pos={b.Pos} formats={string.Join(",", b.Formats.Select(f => $"{f.W}x{f.H}"))}\n");
            var v = imp.Video;
            sb.Append($" video={v.Present} {v.W}x{v.H} mimes={Join(r, v.Mimes)} dur={v.MinDuration}-{v.MaxDuration} placement={v.Placement} plcmt={v.Plcmt}\n");
            sb.Append($" native={imp.Native.Present} req={t.GetString(imp.Native.Request)} ver={t.GetString(imp.Native.Ver)} audio={imp.Audio.Present}\n");
            sb.Append($" pmp={imp.Pmp.Present} private={imp.Pmp.PrivateAuction}");
            for (var d = 0; d < imp.Pmp.Deals.Count; d++)
            {
                var deal = imp.Pmp.Deals[d];
                sb.Append($" deal={t.GetString(deal.Id)}:{deal.BidFloor}:{t.GetString(deal.BidFloorCur)}:{deal.AuctionType}:{Join(r, deal.Wseat)}");
            }

            sb.Append('\n');
        }

        sb.Append($"site={r.Site.Present} {t.GetString(r.Site.Id)} {t.GetString(r.Site.Domain)} {t.GetString(r.Site.Page)} cat={Join(r, r.Site.Cat)} pub={t.GetString(r.Site.PublisherId)}\n");
        sb.Append($"app={r.App.Present} {t.GetString(r.App.Id)} {t.GetString(r.App.Bundle)} cat={Join(r, r.App.Cat)} pub={t.GetString(r.App.PublisherId)}\n");
        var dv = r.Device;
        sb.Append($"device={dv.Present} ua={t.GetString(dv.Ua)} ip={t.GetString(dv.Ip)} ipv6={t.GetString(dv.Ipv6)} type={dv.DeviceType} os={t.GetString(dv.Os)} {t.GetString(dv.Osv)} make={t.GetString(dv.Make)} model={t.GetString(dv.Model)} lang={t.GetString(dv.Language)} ifa={t.GetString(dv.Ifa)} lmt={dv.Lmt}\n");
        sb.Append($" geo={Geo(r, dv.Geo)}\n");
        sb.Append($"user={r.User.Present} {t.GetString(r.User.Id)} {t.GetString(r.User.BuyerUid)} yob={r.User.Yob} g={t.GetString(r.User.Gender)} geo={Geo(r, r.User.Geo)}\n");
        sb.Append($"regs coppa={r.Regs.Coppa} gdpr={r.Regs.Gdpr} usp={t.GetString(r.Regs.UsPrivacy)} gpp={t.GetString(r.Regs.Gpp)}\n");
        sb.Append($"source tid={t.GetString(r.Source.Tid)} schain={r.Source.HasSchain}/{r.Source.SchainComplete}/{r.Source.SchainNodes}");
        foreach (var node in r.Source.Nodes)
        {
            sb.Append($" [{t.GetString(node.Asi)} {t.GetString(node.Sid)} hp={node.Hp}]");
        }

        sb.Append('\n');
        return sb.ToString();
    }

    private static string Geo(BidRequest r, Geo g) =>
        $"{g.Present} {r.Text.GetString(g.Country)} {r.Text.GetString(g.Region)} {r.Text.GetString(g.City)} {g.Lat} {g.Lon} {g.UtcOffset}";

    private static string Join(BidRequest r, List<Text.Utf8Slice> list) => string.Join(",", list.Select(s => r.Text.GetString(s)));
}
