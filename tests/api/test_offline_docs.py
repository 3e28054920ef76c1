"""/docs and /redoc work offline: every script and style they load is served by the app."""

from __future__ import annotations

import re


def test_docs_pages_load_only_their_own_assets(client):
    for page in ("/docs", "/redoc"):
        r = client.get(page)
        assert r.status_code == 200
        urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", r.text)
        urls += re.findall(r"url: '([^']+)'", r.text)
        assert urls, r.text
        for url in urls:
            assert not url.startswith(("http:", "https:", "//")), f"{page} loads {url}"
            if url.startswith("/static-offline-docs/"):
                asset = client.get(url)
                assert asset.status_code == 200 and len(asset.content) > 1000, url
    assert "swagger-ui-bundle.js" in client.get("/docs").text
    assert "redoc.standalone.js" in client.get("/redoc").text
    assert client.get("/openapi.json").json()["info"]["title"] == "Garita"
