"""Helpers shared by the browser tests (imported by conftest.py and the test modules)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "reports" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

QUICK_EXIT_URL = "https://www.google.com/search?q=weer"  # the page's default target
START_URL = "https://start.example/"  # a neutral page visited before the chat
NEUTRAL_HTML = (
    "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Weer</title></head>"
    "<body><h1>Het weer vandaag</h1><p>Zonnig, 18 graden.</p></body></html>"
)


def shot(page, name: str, full_page: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, animations="disabled", caret="initial")
    return path


CONTRAST_JS = """
() => {
  const parse = c => { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                               return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const bgOf = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
                        if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const out = [];
  const sel = '.brand__name, .who, .quick-exit, .urgent__q, .urgent__or, .urgent__link, .intro p, .intro__title, ' +
              '.bubble, .msg__label, .msg__meta, .chip:not(:disabled), .counter, .send, textarea, .hint, ' +
              '.more > summary, .code-line, .notice';
  for (const el of document.querySelectorAll(sel)) {
    if (!el.offsetParent || el.closest('.sr-only')) continue;
    const fg = parse(getComputedStyle(el).color), bg = bgOf(el);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    out.push({sel: el.className || el.tagName, ratio: (a + 0.05) / (b + 0.05), text: el.textContent.trim().slice(0, 30)});
  }
  return out;
}
"""


def check_mobile_layout(page) -> None:
    """The 360 px promises: no sideways scrolling, quick exit top right and always visible,
    112/113 and the message box on screen, big touch targets, 16px+ text, 4.5:1 contrast."""
    from playwright.sync_api import expect

    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "horizontal scrolling at 360 px"
    box = page.locator("#quick-exit").bounding_box()
    assert box["x"] + box["width"] <= 360 and box["x"] > 180 and box["y"] < 60, box  # top right
    for where in ("0", "e.scrollHeight"):  # scrolled to the top and the bottom
        page.eval_on_selector("#chat", f"e => {{ e.scrollTop = {where}; }}")
        expect(page.locator("#quick-exit")).to_be_in_viewport()
        expect(page.locator('a[href="tel:112"]')).to_be_in_viewport()
    expect(page.locator("#quick-exit")).to_be_in_viewport()
    expect(page.locator('a[href="tel:112"]')).to_be_in_viewport()
    expect(page.locator('a[href="tel:113"]')).to_be_in_viewport()
    expect(page.locator("#message")).to_be_in_viewport()

    for sel in ("#quick-exit", "#send", ".choices .chip", "#message", "#resume summary"):
        b = page.locator(sel).first.bounding_box()
        assert b["height"] >= 44 and b["width"] >= 44, (sel, b)
    for sel in ('a[href="tel:112"]', 'a[href="tel:113"]', 'a[href="tel:08000113"]'):
        b = page.locator(sel).bounding_box()
        assert b["height"] >= 42, (sel, b)
    for sel in (".bubble", "#message", ".chip"):
        size = page.eval_on_selector(sel, "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16, (sel, size)

    low = [c for c in page.evaluate(CONTRAST_JS) if c["ratio"] < 4.5]
    assert not low, low
