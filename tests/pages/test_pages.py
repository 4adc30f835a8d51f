"""Every public page: the page checker's rules, both languages, no cookies, right caching."""

from __future__ import annotations

import pytest

from tests.pagecheck import check_page

PUBLIC_PAGES = ["/", "/check", "/help-someone", "/helplines", "/privacy", "/overdose", "/offline"]


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_passes_the_page_checker_in_each_language(client, path, lang):
    response = client.get(f"{path}?lang={lang}")
    assert response.status_code == 200
    facts = check_page(response.get_data(as_text=True), path)
    assert facts.lang == lang
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-cache"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_has_quick_exit_and_the_emergency_strip(client, path):
    html = client.get(path, headers={"Accept-Language": "en-GB"}).get_data(as_text=True)
    assert 'data-module="app-quick-exit"' in html
    assert 'rel="noreferrer"' in html
    assert 'class="app-emergency"' in html
    assert 'href="tel:999"' in html  # the United Kingdom's number, from the language region
    assert 'href="/overdose' in html


def test_emergency_strip_gives_general_advice_when_the_country_is_unknown(client):
    html = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    strip = html[html.index('class="app-emergency"') : html.index("</aside>")]
    assert 'href="tel:112"' in strip  # the general number, from the data file…
    assert "112 works from most mobile phones in many countries" in strip  # …and why


def test_country_in_the_url_wins_over_the_language_region(client):
    html = client.get("/?country=AU", headers={"Accept-Language": "en-US"}).get_data(as_text=True)
    assert 'href="tel:000"' in html
    assert 'href="/check?country=AU"' in html  # the choice is carried on links, not a cookie


def test_language_choice_is_carried_on_links_and_the_switch_offers_the_other(client):
    html = client.get("/?lang=es").get_data(as_text=True)
    assert 'href="/check?lang=es"' in html
    assert 'hreflang="en" lang="en">English</a>' in html
    html = client.get("/").get_data(as_text=True)
    assert 'lang="es">Español</a>' in html


def test_home_offers_the_three_choices(client):
    html = client.get("/").get_data(as_text=True)
    for href in ('href="/check"', 'href="/help-someone"', 'href="/helplines"'):
        assert href in html


def test_privacy_page_says_what_quick_exit_cannot_do(client):
    html = client.get("/privacy?lang=en").get_data(as_text=True).lower()
    assert "history" in html and "private" in html


def test_manifest_is_neutral_and_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "Steady" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    } <= sizes
    text = response.get_data(as_text=True).lower()
    for word in ("benzo", "pill", "medic", "drug", "klonopin", "clonazepam"):
        assert word not in text
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as icon_response:
            assert icon_response.status_code == 200


def test_service_worker_is_served_from_the_root_uncached_and_versioned(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype in ("application/javascript", "text/javascript")
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    assert "__STEADY_VERSION__" not in body
    assert "/admin" in body  # the never-cache allow-list names the console


def test_service_worker_imports_its_push_half_from_the_same_origin_at_its_version(client):
    body = client.get("/sw.js").get_data(as_text=True)
    version = body[body.index('const VERSION = "') + 17 :].split('"')[0]
    assert len(version) == 16  # the hash of every static file, the push half included
    assert "importScripts(`/static/sw-push.js?v=${encodeURIComponent(VERSION)}`);" in body
    with client.get(f"/static/sw-push.js?v={version}") as push_half:
        assert push_half.status_code == 200
        assert push_half.mimetype in ("application/javascript", "text/javascript")
        source = push_half.get_data(as_text=True)
    assert 'addEventListener("push"' in source and 'addEventListener("fetch"' not in source
    assert 'addEventListener("push"' not in body  # each half holds its own events


def test_versioned_static_files_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    start = html.index("/static/css/app.css?v=")
    url = html[start : html.index('"', start)]
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    with client.get("/static/css/app.css") as response:
        assert response.headers["Cache-Control"] == "no-cache"


def test_robots_txt_keeps_search_engines_out_of_the_console_and_api(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    assert "Disallow: /admin" in response.get_data(as_text=True)


def test_language_alternates_are_absolute_urls(client):
    html = client.get("/check").get_data(as_text=True)
    assert '<link rel="alternate" hreflang="es" href="http://localhost/check?lang=es">' in html
