"""Read a QR code the way a phone's camera does: from the pixels on screen.

The page is photographed (a Playwright screenshot of the area around the code, so the page's
own background, dark or light, is in the picture as it would be), the PNG is turned into grey
levels in a blank page (about:blank: no content policy to refuse a data: image) and zxing-cpp
decodes them. Nothing is read from the page's markup, so a code that draws but does not scan
(wrong text, too little quiet zone, light on dark) fails here.
"""

from __future__ import annotations

import base64

import zxingcpp

# PNG → grey levels (ITU-R BT.601 luma), returned as [width, height, base64 bytes].
GREY_LEVELS = """async (png) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
  let grey = "";
  for (let i = 0; i < data.length; i += 4) {
    const luma = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
    grey += String.fromCharCode(Math.round(luma));
  }
  return [canvas.width, canvas.height, btoa(grey)];
}"""


def scanned(page, selector: str, margin: int = 24) -> list[str]:
    """The texts of the QR codes a camera finds in the element at `selector` and `margin`
    CSS pixels of the page around it."""
    page.locator(selector).scroll_into_view_if_needed()
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not on screen"
    clip = {
        "x": max(0.0, box["x"] - margin),
        "y": max(0.0, box["y"] - margin),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    png = page.screenshot(clip=clip)
    blank = page.context.new_page()
    try:
        width, height, grey = blank.evaluate(GREY_LEVELS, base64.b64encode(png).decode())
    finally:
        blank.close()
    pixels = memoryview(base64.b64decode(grey)).cast("B", (height, width))
    return [
        code.text
        for code in zxingcpp.read_barcodes(pixels, formats=zxingcpp.QRCode, try_invert=False)
    ]
