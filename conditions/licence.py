"""The licence the portal's content is offered under, stated once for the API, the export,
the feeds and the About page.

CC BY 4.0: anyone may copy, adapt and republish the text, commercially too, as long as they
name the source and link to the licence. Patient education is most useful where patients
already are (a health record, a clinic's site, an app), and attribution keeps a reader able
to find the reviewed original. A share-alike or non-commercial licence would keep the text
out of exactly those systems.
"""

SITE_NAME = "Nerve Health Guide"

CONTENT_LICENCE = {
    "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
    "spdx": "CC-BY-4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": f"{SITE_NAME} (name it and link to the page you used)",
}

RIGHTS_STATEMENT = (
    f"Text © {SITE_NAME}, licensed under {CONTENT_LICENCE['name']}: {CONTENT_LICENCE['url']}"
)
