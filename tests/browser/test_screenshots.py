"""The README's screenshots, written only with --screenshots (`make screenshots`).

Without the option this test is deselected (tests/browser/conftest.py), never skipped.
"""

from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.helpers import PHONE

pytestmark = pytest.mark.browser

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# A patient who meets Mayo's criteria, with a plasma VEGF and one gland assessed.
CASE = (
    "polyneuropathy=present&monoclonal_plasma_cell_disorder=present"
    "&castleman_disease=absent&sclerotic_bone_lesions=present&organomegaly=present"
    "&extravascular_volume_overload=absent&skin_changes=present&papilledema=absent"
    "&endocrinopathy_gonadal=present&vegf=640&vegf_specimen=plasma"
)


def test_write_the_readme_screenshots(new_context, site):
    OUT.mkdir(parents=True, exist_ok=True)

    desktop = new_context(viewport={"width": 1280, "height": 1400}).new_page()
    desktop.goto(f"/en/checklist/?{CASE}")
    expect(desktop.locator("article.set-result--met[aria-labelledby='set-mayo']")).to_be_visible()
    desktop.screenshot(path=OUT / "checklist-desktop.png", animations="disabled")

    # On a phone, while answering: the result bar stays at the bottom of the screen.
    phone = new_context(viewport=PHONE, device_scale_factor=2).new_page()
    phone.goto(f"/en/checklist/?{CASE}")
    phone.locator("#group-minor").scroll_into_view_if_needed()
    expect(phone.locator(".result-bar")).to_be_in_viewport()
    phone.screenshot(path=OUT / "checklist-phone.png", animations="disabled")

    with Image.open(OUT / "checklist-desktop.png") as image:
        assert image.size == (1280, 1400)
    with Image.open(OUT / "checklist-phone.png") as image:
        assert image.size == (2 * PHONE["width"], 2 * PHONE["height"])
