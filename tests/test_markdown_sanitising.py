"""No editor's Markdown can put executable markup on a page, however it is disguised."""
# ruff: noqa: E501 -- the payloads are quoted verbatim from the cheat sheets.

import html
import re
from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.utils.safestring import SafeString

from editorial.markdown import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    markdown_to_text,
    render_markdown,
)

# Known XSS vectors: OWASP filter-evasion cheat sheet, PortSwigger's list, and Markdown forms.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=javascript:alert(1)>",
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=`javascript:alert(1)`>",
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    '<IMG SRC=/ onerror="alert(String.fromCharCode(88,83,83))"></img>',
    "<img src=x onerror=alert(1)//>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    '<IMG SRC="jav\tascript:alert(1);">',
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="jav&#x0A;ascript:alert(1);">',
    '<IMG SRC=" &#14;  javascript:alert(1);">',
    '<SCRIPT/XSS SRC="http://xss.example/xss.js"></SCRIPT>',
    "<BODY onload!#$%&()*~+-_.,:;?@[/|]^`=alert(1)>",
    "<<SCRIPT>alert(1);//<</SCRIPT>",
    "<SCRIPT SRC=http://xss.example/xss.js?< B >",
    "<iframe src=http://xss.example/scriptlet.html <",
    "</TITLE><SCRIPT>alert(1);</SCRIPT>",
    '<INPUT TYPE="IMAGE" SRC="javascript:alert(1);">',
    '<BODY BACKGROUND="javascript:alert(1)">',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">click</mi></math>',
    '<STYLE>li {list-style-image: url("javascript:alert(1)");}</STYLE><UL><LI>XSS</br>',
    '<LINK REL="stylesheet" HREF="javascript:alert(1);">',
    "<STYLE>@import'http://xss.example/xss.css';</STYLE>",
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">',
    '<IFRAME SRC="javascript:alert(1);"></IFRAME>',
    '<FRAMESET><FRAME SRC="javascript:alert(1);"></FRAMESET>',
    '<TABLE BACKGROUND="javascript:alert(1)"><tr><td>x</td></tr></TABLE>',
    '<TABLE><TD BACKGROUND="javascript:alert(1)">x</TD></TABLE>',
    '<DIV STYLE="background-image: url(javascript:alert(1))">x</DIV>',
    '<DIV STYLE="width: expression(alert(1));">x</DIV>',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.example/scriptlet.html"></OBJECT>',
    '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==" type="image/svg+xml" AllowScriptAccess="always"></EMBED>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="java&#x09;script:alert(1)">click</a>',
    '<a href="vbscript:msgbox(1)">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="#" onclick="alert(1)">click</a>',
    '<a href="https://example.org" onmouseover="alert(1)" style="position:fixed">x</a>',
    '<p onmouseover="alert(1)">text</p>',
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    '<base href="javascript:alert(1)//">',
    "<marquee onstart=alert(1)>x</marquee>",
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    '<object data="javascript:alert(1)">',
    # The same tricks through Markdown's own syntax.
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](  javascript:alert(1)  )",
    "[click](javascript&#58;alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '[click](https://example.org "title" onclick="alert(1)")',
    "![x](javascript:alert(1))",
    '![x](https://example.org/x.png"onerror="alert(1))',
    "<javascript:alert(1)>",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "*<script>alert(1)</script>*",
    "> <img src=x onerror=alert(1)>",
    "- <svg onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
]

DANGEROUS_SCHEMES = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)


class MarkupAudit(HTMLParser):
    """Collects every tag and attribute the browser would see in the rendered HTML."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attributes = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag


def audit(rendered):
    parser = MarkupAudit()
    parser.feed(str(rendered))
    parser.close()
    return parser


def test_there_are_at_least_fifty_payloads():
    assert len(set(XSS_PAYLOADS)) >= 50


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_executable_markup(payload):
    rendered = render_markdown(payload)
    found = audit(rendered)
    assert set(found.tags) <= ALLOWED_TAGS, found.tags
    for tag, name, value in found.attributes:
        assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
        assert not name.startswith("on")
        if name == "href":
            # The value as the browser decodes it, with the whitespace it ignores removed.
            decoded = re.sub(r"[\x00-\x20]", "", html.unescape(value))
            assert not DANGEROUS_SCHEMES.match(decoded), value
            scheme = decoded.split(":", 1)[0].lower() if ":" in decoded.split("/")[0] else ""
            assert not scheme or scheme in ALLOWED_URL_SCHEMES, value
    lowered = str(rendered).lower()
    assert "<script" not in lowered
    assert "<style" not in lowered
    assert "<iframe" not in lowered
    assert "<svg" not in lowered


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_plain_text_version_is_escaped_where_it_is_shown(payload):
    # Plain text (for meta descriptions, search) is never marked safe, so templates escape it.
    text = markdown_to_text(payload)
    assert not isinstance(text, SafeString)
    shown = Template("{{ text }}").render(Context({"text": text}))
    assert set(audit(shown).tags) == set()


def test_ordinary_markdown_still_renders():
    rendered = str(render_markdown("**Bold** and [NHS](https://www.nhs.uk)\n\n- one\n- two"))
    assert "<strong>Bold</strong>" in rendered
    assert '<a href="https://www.nhs.uk" rel="noopener noreferrer">NHS</a>' in rendered
    assert "<li>one</li>" in rendered


def test_safe_links_are_kept():
    assert 'href="mailto:help@example.org"' in str(
        render_markdown("[mail](mailto:help@example.org)")
    )
    assert 'href="/conditions/lupus/"' in str(render_markdown("[lupus](/conditions/lupus/)"))


def test_rendering_is_memoised():
    text = "Memoised *once*."
    assert render_markdown(text) is render_markdown(text)


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/p",
        "/\\evil.example/p",
        "\\\\evil.example/p",
        "/\t/evil.example/p",
        " //evil.example/p",
        "tel:999",
        "ftp://evil.example/p",
    ],
)
def test_links_leaving_the_site_by_a_back_door_lose_their_target(target):
    rendered = str(render_markdown(f"[Read more]({target})"))
    assert "href" not in rendered
    assert "evil.example" not in rendered
    assert "Read more" in rendered


@pytest.mark.parametrize(
    "target", ["https://www.ninds.nih.gov/", "http://example.org/", "mailto:a@example.org",
               "/conditions/", "#symptoms"]
)  # fmt: skip
def test_site_relative_and_allowed_scheme_links_survive(target):
    assert f'href="{target}"' in str(render_markdown(f"[Read more]({target})"))


@pytest.mark.django_db
def test_the_api_returns_sanitised_html_and_plain_text_for_editor_markdown(client):
    from tests.factories import ConditionFactory, SymptomFactory

    typed = "Go to A&E **now**.<script>alert(1)</script> [More](//evil.example/p)"
    condition = ConditionFactory(
        name="Lupus", slug="lupus", is_emergency=True, emergency_warning=typed
    )
    condition.symptoms.add(SymptomFactory(name="Numb feet", slug="numb-feet", description=typed))

    emergency = client.get("/api/v1/conditions/lupus/").json()["emergency"]
    symptom = client.get("/api/v1/symptoms/numb-feet/").json()
    for text, html_version in [
        (emergency["warning"], emergency["warning_html"]),
        (symptom["description"], symptom["description_html"]),
    ]:
        assert "<" not in text
        assert "**" not in text
        assert text.startswith("Go to A&E now.")
        assert "<strong>now</strong>" in html_version
        assert "<script" not in html_version
        assert "alert(1)" not in html_version
        assert "evil.example" not in html_version
