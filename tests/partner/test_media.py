"""The venue's seating chart as the client fetches it (no Qt): from the address the event details
name, without the API key, bounded in size, and only pictures the window can draw — against the
live sandbox, which serves each fixture venue's chart."""

from __future__ import annotations

import pytest

from app.partner.errors import InsecureConnection, UnexpectedResponse
from app.partner.media import image_kind
from tests.partner.partnerkit import PURCHASE_EVENT, client_for, run


def test_the_seating_chart_named_in_the_details_is_fetched_without_the_key(config, sandbox_control):
    async def scenario():
        async with client_for(config) as client:
            details = await client.event_details(PURCHASE_EVENT)
            chart = details.venue.seating_chart
            return chart, await client.picture(chart.location)

    chart, picture = run(scenario())
    assert chart.type == "seatingchart" and (chart.width, chart.height) == (670, 410)
    assert picture.kind == "svg" and picture.data.startswith(b"<svg") and picture.url == chart.location
    (fetched,) = [r for r in sandbox_control.log() if r["path"].startswith("/media/")]
    assert fetched["path"] == f"/media/venue/{PURCHASE_EVENT}.svg" and fetched["status"] == 200
    assert fetched["query"] == ""  # the API key never goes to a picture's address


def test_a_picture_larger_than_the_limit_is_refused(config):
    async def scenario():
        async with client_for(config) as client:
            url = (await client.event_details(PURCHASE_EVENT)).venue.seating_chart.location
            return await client.picture(url, max_bytes=100)

    with pytest.raises(UnexpectedResponse, match="larger than 100 bytes; it is not shown"):
        run(scenario())


def test_what_is_not_a_picture_or_not_there_is_said_plainly(config, fresh_sandbox):
    async def scenario(url):
        async with client_for(config) as client:
            return await client.picture(url)

    with pytest.raises(UnexpectedResponse, match="is not a picture Box Office can show"):
        run(scenario(f"{fresh_sandbox.base_url}/partners/v1/events?apikey=sandbox-api-key"))
    with pytest.raises(UnexpectedResponse, match=r"could not be fetched \(HTTP 404\)"):
        run(scenario(f"{fresh_sandbox.base_url}/media/venue/NOSUCHEVENT00000.svg"))


def test_a_plain_http_picture_on_another_host_is_never_fetched(config):
    async def scenario():
        async with client_for(config) as client:
            return await client.picture("http://media.ticketmaster.example/tmimages/venue/maps/ny5/41248s.gif")

    with pytest.raises(InsecureConnection):
        run(scenario())


@pytest.mark.parametrize("data, kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "png"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "jpeg"),
    (b"GIF89a\x01\x00", "gif"),
    (b"GIF87a\x01\x00", "gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "webp"),
    (b"BM\x36\x00", "bmp"),
    (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "svg"),
    (b'\xef\xbb\xbf  <svg width="1"/>', "svg"),
    (b"<html><body>not a chart</body></html>", None),
    (b"II*\x00tiff", None),
    (b"%PDF-1.7", None),
    (b"", None),
])
def test_picture_kinds_are_told_by_their_bytes(data, kind):
    assert image_kind(data) == kind
