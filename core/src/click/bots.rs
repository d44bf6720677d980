//! Which user agents are machines: link-preview fetchers (Facebook, WhatsApp, Slack, X, LinkedIn,
//! Discord, Telegram, Skype, iMessage), search crawlers, uptime monitors, HTTP libraries and
//! headless browsers. Their clicks are redirected like anyone's but never paid
//! (`known_bot`) and not counted as report clicks.
//!
//! The list is the `isbot` crate's (its `bot_regex_patterns.txt`, which follows the maintained
//! pattern list of the `isbot` npm package): to refresh it, `cargo update -p isbot`. [`EXTRA`]
//! adds what that list misses, each with its reason; the table in the tests below pins the
//! classes the product depends on, people in in-app browsers (WeChat, Weibo, Douyin, Alipay)
//! included, so a refresh that drops one fails the build.

use std::sync::OnceLock;

use isbot::Bots;

/// Patterns (lower-case regular expressions, matched anywhere) that `isbot`'s list lacks.
pub const EXTRA: [&str; 12] = [
    // WhatsApp's link preview also sends a bare `WhatsApp/2.23.20.0`; isbot wants a platform
    // letter after it.
    "^whatsapp/",
    // Browser automation that may not say "headless".
    "selenium",
    "puppeteer",
    "playwright",
    // HTTP clients and runtimes: Node's fetch (undici), Deno, Bun, Ruby, Dart.
    "^undici",
    "^node$",
    "^deno/",
    "^bun/",
    "^ruby",
    "^dart[:/ ]",
    // Bluesky's link-preview fetcher (`Bluesky Cardyb/1.1`) and Datadog's synthetic monitors.
    "cardyb",
    "^datadog/synthetics",
];

fn bots() -> &'static Bots {
    static BOTS: OnceLock<Bots> = OnceLock::new();
    BOTS.get_or_init(|| {
        let mut bots = Bots::default();
        bots.append(&EXTRA);
        bots
    })
}

/// Whether `user_agent` belongs to a machine rather than a person. No user agent at all is a
/// machine: every browser sends one.
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim();
    ua.is_empty() || bots().is_bot(ua)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Machines, by what they are.
    const MACHINES: [(&str, &str); 40] = [
        ("link preview", "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"),
        ("link preview", "facebookexternalhit/1.1"),
        ("link preview", "Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)"),
        ("monitor", "Datadog/Synthetics"),
        ("link preview", "WhatsApp/2.23.20.0"),
        ("link preview", "WhatsApp/2.23.20.0 A"),
        ("link preview", "WhatsApp/2.2337.7 i"),
        ("link preview", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"),
        ("link preview", "Slack-ImgProxy (+https://api.slack.com/robots)"),
        ("link preview", "Twitterbot/1.0"),
        ("link preview", "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"),
        ("link preview", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)"),
        ("link preview", "TelegramBot (like TwitterBot)"),
        ("link preview", "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com"),
        // iMessage's preview fetcher announces itself as Facebook's and X's.
        ("link preview", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0"),
        ("link preview", "Mozilla/5.0 (compatible; redditbot/1.0; +http://www.reddit.com/feedback)"),
        ("link preview", "Iframely/1.3.1 (+https://iframely.com/docs/about)"),
        ("crawler", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        ("crawler", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
        ("crawler", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"),
        ("crawler", "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)"),
        ("crawler", "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)"),
        ("monitor", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"),
        ("monitor", "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)"),
        ("monitor", "Mozilla/5.0 (compatible; StatusCake)"),
        ("monitor", "Site24x7"),
        ("http library", "curl/8.5.0"),
        ("http library", "Wget/1.21.4"),
        ("http library", "python-requests/2.31.0"),
        ("http library", "Python-urllib/3.11"),
        ("http library", "Go-http-client/1.1"),
        ("http library", "okhttp/4.12.0"),
        ("http library", "axios/1.6.7"),
        ("http library", "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)"),
        ("http library", "undici"),
        ("http library", "Apache-HttpClient/4.5.14 (Java/17.0.9)"),
        ("headless", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36"),
        ("headless", "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 Safari/538.1"),
        ("headless", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36 Puppeteer"),
        ("none", "  "),
    ];

    /// People: desktop and phone browsers, and the in-app browsers Chinese visitors use.
    const PEOPLE: [(&str, &str); 10] = [
        ("chrome", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
        ("safari iphone", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1"),
        ("firefox", "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0"),
        ("samsung", "Mozilla/5.0 (Linux; Android 13; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36"),
        ("wechat ios", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN"),
        ("wechat android", "Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/5235 MMWEBSDK/20230805 MMWEBID/2523 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"),
        ("weibo", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Weibo (iPhone14,2__weibo__13.7.1__iphone__os16.5)"),
        ("douyin", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 aweme_27.0.0 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/zh-Hans Region/CN AppTheme/light BytedanceWebview/d8a21c6 WKWebView/1"),
        ("alipay", "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Ariver/1.1.0 AliApp(AP/10.5.36.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) AlipayClient/10.5.36.6000 Language/zh-Hans Region/CN NebulaX/1.0.0"),
        ("qq browser", "Mozilla/5.0 (Linux; U; Android 12; zh-cn; PEHM00 Build/SKQ1.210216.001) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/109.0.5414.86 MQQBrowser/14.4 Mobile Safari/537.36"),
    ];

    #[test]
    fn machines_are_bots() {
        for (kind, ua) in MACHINES {
            assert!(is_bot(ua), "{kind}: {ua}");
        }
        assert!(is_bot(""), "no user agent");
    }

    #[test]
    fn people_are_not_bots() {
        for (kind, ua) in PEOPLE {
            assert!(!is_bot(ua), "{kind}: {ua}");
        }
    }
}
