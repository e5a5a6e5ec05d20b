"""Word lists shared by the email, handle and URL detectors.

Plain data only, so the lists can be reviewed (and extended) without reading any
matching code. Everything is lower case; callers compare lower-cased text.
"""

from __future__ import annotations

from redaction.detectors.disguise import as_read


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Top-level domains a *bare* domain (no scheme, no ``www.``) may end with. Curated
# instead of the full public-suffix list: no network at runtime, and every entry
# here is one people actually use for portfolios, short links and mail. With a
# scheme or ``www.`` any alphabetic TLD is accepted.
TLDS = _words(
    """
    com net org info biz edu gov mil int
    io co ai me app dev page site online tech store shop blog design studio art
    xyz link live life world today space website web cloud digital media agency
    work works email codes club pro mobi tv fm gg ly ee gd cc ms to sh tl gy gl la
    ws vu ac su gle so
    consulting solutions services company group team network systems software academy
    education photography photos gallery marketing expert guru ninja rocks one top icu vip
    news global social events family love fun zone inc llc ltd ventures partners capital
    finance money law legal health care clinic fitness travel tours food cafe restaurant
    fashion style beauty studio house homes realestate school college university email
    in us uk ca au de fr nl es it ch se no fi dk pl pt ru br mx ar cl jp kr cn hk tw
    sg my id th vn ph pk bd lk np ae sa qa za ng ke gh eg tr ir il nz ie be cz at
    gr hu ro ua
    """
)

# TLDs that are also file extensions or language suffixes: ``deploy.sh``,
# ``logo.ai``, ``README.md``. A bare name ending with one of these counts as a
# domain only with a path, ``www.``, a scheme, or a link word nearby.
AMBIGUOUS_TLDS = _words(
    "ai sh py md rs pl so ps ml pm zip mov cc gg to ms tv it is no us my id me at"
)

# File extensions: ``icon@2x.png`` is a file, ``rahul.k.pdf`` is no account name.
FILE_EXTENSIONS = _words(
    """
    png jpg jpeg gif svg webp bmp ico tiff heic pdf doc docx xls xlsx ppt pptx txt csv json
    xml yml yaml toml ini cfg env lock log md css scss sass less js mjs cjs ts jsx tsx vue py
    rb go rs java kt swift php html htm c h cpp hpp cs sh bat zip rar gz tgz tar 7z mp4 mov
    avi mkv mp3 wav psd ai fig sketch xd apk exe dmg iso
    dart scala lua sql gradle plist proto graphql tf svelte astro ipynb jar xib
    """
)

# Second-level suffixes under a country code (``yahoo.co.in``, ``bbc.co.uk``).
SECOND_LEVEL = _words("co com net org ac gov edu")

# Names of libraries and tools spelled like domains. ``Node.js`` is already safe
# (``js`` is no TLD); these end with a real one.
TECH_NAMES = _words(
    """
    socket.io asp.net ado.net vb.net ml.net dot.net chart.js read.me
    """
)

# Words that make a nearby bare ``name.ai`` a link after all.
LINK_WORDS = _words("site website link url portfolio visit domain blog")

# Names code talk puts before a dot (``user.email``, ``self.name``, ``req.body``): a
# bare ``object.attribute`` is no domain even when the attribute is a TLD.
CODE_OBJECTS = _words(
    """
    data form req res request response obj self this item user props state config
    settings os sys app model row record el event window document result payload body
    params query ctx context env process console module exports pkg err error
    """
)

# Webmail providers. ``rahul.k at gmail`` or ``my gmail is rahul.k`` gives an
# address away even without a TLD.
MAIL_PROVIDERS = _words(
    """
    gmail googlemail yahoo ymail hotmail outlook msn aol icloud protonmail proton
    rediffmail rediff zoho yandex gmx tutanota fastmail live g-mail
    uol libero laposte seznam interia naver
    gmial gmaill gmal gamil jeemail geemail jimail yahooo yaho hotmial hotmal outlok
    """
) | {"g mail", "gee mail", "google mail"}
# (and the misspellings that still reach the mailbox's owner, or mean to)

# Placeholder domains from mockups and templates ("try the site.com placeholder",
# "name@example.com"): nobody's contact detail.
PLACEHOLDER_DOMAINS = _words(
    """
    example.com example.org example.net example.in domain.com yourdomain.com site.com
    yoursite.com mysite.com website.com yourwebsite.com test.com sample.com company.com
    yourcompany.com email.com youremail.com yourbrand.com brand.com yourname.com
    yourbusiness.com
    """
) | _words(
    # and the hosts of standard namespaces and schemas, written into markup and configs
    "w3.org www.w3.org schemas.xmlsoap.org schemas.android.com json-schema.org purl.org"
    " schemas.microsoft.com ns.adobe.com xmlns.com"
)

# Local parts that are also ordinary words: "work at kulkarni dot com" is an
# address even though "work" is a word.
ROLE_ACCOUNTS = _words(
    "work info contact hello hi team support sales admin mail office hr jobs careers billing"
    " studio enquiry enquiries inquiries press accounts orders bookings"
)

# A mailbox's folders and tabs: "found it in spam at gmail" is where, not who.
MAIL_FOLDERS = _words("spam junk inbox trash bin drafts sent archive promotions updates outbox")

# Words after which a token is an email address's local part.
MAIL_WORDS = _words("mail email e-mail emailid mailid gmail yahoo hotmail outlook")

# The apps' developer hosts: an API's endpoint names no account ("POST
# https://graph.facebook.com/v19.0/{PHONE_NUMBER_ID}/messages").
API_HOSTS = _words(
    "graph.facebook.com developers.facebook.com graph.instagram.com business.facebook.com"
)

# Hosts whose links open a chat or a social profile: a link to one of these is a
# ``handle`` (an account), any other external link is a ``url``.
HANDLE_HOSTS = _words(
    """
    t.me telegram.me telegram.dog wa.me whatsapp.com api.whatsapp.com chat.whatsapp.com
    wa.link instagram.com instagr.am facebook.com fb.com fb.me m.me messenger.com
    twitter.com x.com snapchat.com discord.gg discord.com discordapp.com line.me
    join.skype.com skype.com signal.me signal.group threads.net tiktok.com kik.me vk.com
    viber.com weixin.qq.com
    """
)

# App names that come before an id ("insta @rohit.tech"), never a mailbox's name.
PLATFORM_NAMES = _words(
    """
    telegram tele tg insta instagram ig snap snapchat sc skype discord dc twitter x fb
    facebook threads signal wechat wx whatsapp wa line kik viber
    """
)

# Names people give the chat apps, with nicknames and misspellings (and Telegram's
# link host named as the app: "priya_92 on t.me"), written as one
# lower-case word with leet digits read as letters (see ``platform_key``). "Strong"
# names are unmistakable in chat; "weak" ones are also ordinary words ("line",
# "signal", "snap") and need an account-shaped id or an explicit "id".
STRONG_PLATFORM_NAMES = _words(
    """
    telegram telegramm telegrm telgram teligram telegarm tele teli tg tgram thegram
    whatsapp whatsap whatsaap watsapp watsap whtsapp wtsapp whatapp whatsaap
    insta instaa intsa instagram instagramm instagrm instgram instagarm ig
    snapchat skype skipe skp discord wechat weixin kik viber kakao kakaotalk threema zalo
    keybase icq bluesky bsky mastodon
    facebook fb messenger twitter tiktok reddit linkedin
    fiverr upwork
    t.me
    """
)
WEAK_PLATFORM_NAMES = _words(
    "line signal threads snap sc dc wa wx vx gram imo wire session matrix"
)
# And in the scripts of users abroad (Chinese, Korean, Japanese, Russian, Arabic):
# "微信号：zhangwei88", "카톡 아이디: minji_shop", "мой телеграм …".
NATIVE_PLATFORM_NAMES = _words(
    """
    微信 微信号 카톡 카카오톡 라인 ライン
    телеграм телеграмм телега ватсап вотсап вацап инстаграм инста вайбер скайп дискорд
    واتساب واتس تيليجرام تلغرام انستا انستقرام
    """
)
# Names also typed in two pieces: "tele gram", "insta-gram", "we chat", "T.G.".
PLATFORM_PIECES = {
    "telegram": ("tele", "gram"),
    "tgram": ("t", "gram"),
    "tg": ("t", "g"),
    "tiktok": ("tik", "tok"),
    "instagram": ("insta", "gram"),
    "thegram": ("the", "gram"),
    "whatsapp": ("whats", "app"),
    "wechat": ("we", "chat"),
    "snapchat": ("snap", "chat"),
    "signal": ("sig", "nal"),
    "discord": ("dis", "cord"),
    "skype": ("sky", "pe"),
}
#: Leet digits read as letters when looking for platform names ("t3l3gram", "1nsta").
LEET_LETTERS = str.maketrans("34051", "eaosi")


def platform_spellings() -> dict[str, bool]:
    """Every spelling to look for, lower case with leet read as letters -> is it weak.

    A "1" reads as "i", so names with an "l" are also listed with "i" ("te1egram").
    """
    spellings: dict[str, bool] = {}
    for names, weak in ((STRONG_PLATFORM_NAMES, False), (WEAK_PLATFORM_NAMES, True)):
        for name in names:
            spellings[name] = weak
            spellings.setdefault(name.replace("l", "i"), weak)
    for name in as_read(NATIVE_PLATFORM_NAMES):  # Cyrillic look-alikes folded too
        spellings[name.lower()] = False
    for name, (head, tail) in PLATFORM_PIECES.items():
        for sep in " -.":
            spellings.setdefault(f"{head}{sep}{tail}", spellings[name])
    spellings.setdefault("t.g.", False)
    spellings.setdefault("i.g.", False)
    return spellings


# Hosts short enough to be written without any path worth the name (``t.me/``
# alone is a fragment of a split attempt).
FRAGMENT_HOSTS = _words("t.me telegram.me wa.me m.me fb.me discord.gg line.me")

# Ordinary words that are never an account name on their own, even right after a
# platform word ("my insta id neeche hai", "telegram allowed nahi", "snap me").
# English function words, chat filler and the Hinglish words common in this market.
COMMON_WORDS = _words(
    """
    a about above after again against all almost also am an and any anyone anything
    e.g eg i.e ie etc viz
    are as ask at available away back be because been before being below best better
    between both but by can cannot could did do does doing done down during each easier
    easy either else enough even ever every everyone everything faster fine first for
    free from further get gets getting give go going good got had has have having he her
    here hers herself him himself his how i if in into is isnt it its itself just later
    let lets like likely made make many may me mine more most much must my myself need
    never new next no nor not now of off often ok okay on once one only or other our
    ours ourselves out over own please quick quickly rather really same see send sent
    she should since so some someone something soon still such sure than thank thanks
    that the their theirs them themselves then there these they this those though
    through to today tomorrow too under until up us use used using very via want was
    way we well were what when where which while who whom why will with without would
    yes yet you your yours yourself yourselves
    add added adding call called calling chat chatting connect contact dm dms find follow
    group handle hello hey hi id ids link message messages msg number ping profile
    reach reply search share sharing text texting user username name account page
    channel server app apps business api official support team staff reels reel story
    stories post posts status video videos voice web desktop mobile phone allowed work
    brand brands shop store bio feed followers ads marketing content community campaign
    instead directly personal private public
    me mera meri mere mujhe mai main hum humara tum tera tumhara aap aapka aapki apna
    apni pe par per pr se ko ka ki ke hai hain ho tha thi the nahi nahin na haan ha
    karo kar karna karte karenge kare kijiye dena dedo de do bhej bhejo bhejna bhejdo
    yaha yahan wahan waha idhar udhar neeche niche upar abhi baad pehle aur ya ye yeh
    woh wo kya kyu kyun kaise kab jab tab wala wali wale sir madam bhai ji haanji
    bilkul theek thik accha acha achha sahi zaroor pakka chalo shukriya dhanyavad
    note save write copy check below above soon likh likho dekho dekh aa aao aaja aajao
    jao milo mil lo le lena baat
    amar amaar ami tumi apnar korun koro kori hobe ache majha maza mazha majhi mazi tumcha
    kara kar paaji paji veerji bhaiya bhaiyya didi dada anna akka thambi machan macha yaar
    sahab saab bhau vi te nu la hoy ho aahe ahe chhe che tamaro maru mane tame
    korbo korchi korte korben chalana chalani chalao chalate banana banwana karwana
    dekhna dalna daalna lagana bhejna
    banned blocked private down broken hacked deactivated deleted inactive active
    suspended disabled closed open old different slow fast offline online busy full
    empty verified unverified locked restricted limited unavailable positive negative
    great bad fine working bounced expired changed same better worse
    hidden masked removed visible invalid wrong correct updated missing showing mentioned
    given attached
    live sometime sometimes anytime always usually also instead asap tonight now bro dude
    buddy man guys everyone someone daily weekly often mostly
    aku saya aja saja kak kakak dong deh nih sih yuk ini itu
    """
)

# Words before "#1234" that make it an issue, order or ticket number, not a
# Discord tag.
NUMBERED_THINGS = _words(
    """
    issue issues pr bug ticket order invoice item step task room flat house plot unit
    table fix fixes closes ref no number page batch version build release
    """
)

# Words that may close a clause after an id ("mera gmail rahul.k hai").
CLAUSE_ENDINGS = _words("hai hain h he pe par pr and or please pls plz thanks thx")

# Words that follow ``@`` in technical talk: CSS at-rules, decorators and
# annotations, mention keywords, package scopes. An ``@word`` from this list is
# never a handle.
TECH_AT_WORDS = _words(
    """
    media import font-face keyframes supports charset namespace page layer container
    property tailwind apply screen variants responsive config plugin use forward
    extend mixin include function return if else each for while debug warn error
    override deprecated functionalinterface suppresswarnings safevarargs
    entity table column id transactional autowired component service repository
    controller restcontroller bean configuration value inject injectable input output
    viewchild hostlistener ngmodule directive pipe test before after beforeeach
    aftereach beforeall afterall parameterizedtest mock spy getter setter data builder
    nonnull nullable notnull valid override requestmapping getmapping postmapping
    dataclass staticmethod classmethod abstractmethod cached_property lru_cache cache
    wraps contextmanager pytest fixture patch app router route login_required csrf_exempt
    require_http_methods require_post require_get permission_required api_view receiver
    shared_task total_ordering singledispatch field_validator model_validator validator
    csrf method section yield extends endsection foreach endforeach auth guest can
    php endphp livewire vite click submit change model bind keyup keydown
    here everyone channel all team admin mods
    types mui angular babel vue nestjs nuxt sveltejs emotion reduxjs tanstack
    testing-library storybook prisma aws-sdk google-cloud azure react-native
    param returns throws since author version see link example
    latest next beta alpha canary rc stable lts
    media-query 2x 3x 1x
    functools typing abc contextlib unittest asyncio torch tf celery django flask fastapi
    bp blueprint api receiver shared_task api_view action jit njit numba parametrize
    """
)

# Prefixes that, after ``@``, mean a price, time or rate ("@ rs 450", "@ 5pm").
# After an "@", amounts ("@ rs.80") and the words of prose about "@"s themselves: "no
# @handles in any form", Slack's "@here" and "@everyone".
AT_NON_NAMES = _words(
    """
    rs inr usd eur gbp aed per each only around about approx handle handles username
    usernames mention mentions everyone here channel someone somebody sign symbol
    """
)
