"""The summary's chart: stacked monthly charges by call type under the invoiced line, in the colours
of the template's chart-data block, and the block of figures it draws."""
from __future__ import annotations

from copy import copy
from typing import Literal, get_args

from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.drawing.colors import ColorChoice, SchemeColor
from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.colors import COLOR_INDEX
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from recon import labels
from recon.labels import type_label, word
from recon.outputs.workbook.internals import set_style, style_of
from recon.outputs.workbook.sheets import define_name, header_word, put, word_of
from recon.outputs.workbook.template import CHART_KEYS, line_height
from recon.values import format_yen
from recon.view import Chart, ChartMonth

CHART_ROWS = 14  # the chart's height in rows of the sheet's default height



# A page's printable size, before margins, in points (portrait), by the page setup's paper size.
PAPER_POINTS = {1: (612, 792), 9: (595.3, 841.9)}  # Letter, A4



POINTS_PER_INCH = 72



# Excel's theme colour index → the chart's name for it (the first two pairs are swapped in cells).
ThemeColour = Literal["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5",
                      "accent6", "hlink", "folHlink"]
THEME_COLOURS: tuple[ThemeColour, ...] = get_args(ThemeColour)



def chart_block_styles(ws: Worksheet, rows: dict[str, int]) -> dict[str, tuple]:
    """The chart-data block's (header style, data style, series colour) per column key, from the
    template's rows `chart_header` and `chart_data`; without them, the default look and the
    application's colours."""
    if "chart_header" not in rows or "chart_data" not in rows:
        return {key: (StyleArray(), StyleArray(), None) for key in CHART_KEYS}
    header, data = rows["chart_header"], rows["chart_data"]
    return {key: (copy(style_of(ws.cell(header, column))), copy(style_of(ws.cell(data, column))),
                  _chart_colour(ws.cell(header, column).fill))
            for column, key in enumerate(CHART_KEYS, 1)}



def add_chart(ws: Worksheet, chart_view: Chart, lang: str, table_end: int, block: dict, span: int,
              heights: dict[int, float]) -> None:
    """Under the table: a chart of the monthly charge by call type (stacked columns) with the
    invoiced amount as call charges (a line); beside the chart, right of the table, the block of
    figures it draws, titled, its columns hidden and outside the print area (the chart draws hidden
    cells). The chart prints on the table's page when both fit, else on a page of its own."""
    top = table_end + 2
    left = span + 2  # a column apart from the table
    keys = list(chart_view.keys)
    months = len(chart_view.months)
    header = top + 1  # under the block's title
    _chart_block(ws, chart_view, lang, header, left, block)
    for row in range(top, top + CHART_ROWS):
        ws.row_dimensions[row].height = line_height(ws)
    chart = _bar_chart(ws, chart_view, lang, header, left, block)
    # openpyxl takes a cell's name or an anchor (SpreadsheetDrawing._write); the stubs know only a name
    chart.anchor = TwoCellAnchor(_from=AnchorMarker(col=0, row=top - 1),  # type: ignore[assignment]
                                 to=AnchorMarker(col=span, row=top - 1 + CHART_ROWS))
    ws.add_chart(chart)
    bottom = top + CHART_ROWS - 1
    ws.print_area = f"A1:{get_column_letter(span)}{bottom}"
    if not _fits_one_page(ws, bottom, span, heights):
        ws.row_breaks.append(Break(id=table_end))
    define_name(ws, "chart_data", f"{get_column_letter(left)}{header}:"
                                  f"{get_column_letter(left + len(keys))}{header + months}")



def _chart_block(ws: Worksheet, chart_view: Chart, lang: str, top: int, left: int, block: dict) -> None:
    """The figures the chart draws, from row `top` and column `left`, under a title: per month, the
    charge of each call type and the invoiced amount as call charges; a month without a table says
    so beside its month. Its columns are hidden: the table's rows stay as recon writes them."""
    keys = ["month", *chart_view.keys]
    put(ws.cell(top - 1, left), word_of(labels.CHART_DATA, lang))
    set_style(ws.cell(top - 1, left), copy(block["month"][1]))
    _block_row(ws, top, left, [(_chart_word(key, lang), block[key][0]) for key in keys])
    for number, month in enumerate(chart_view.months, top + 1):
        values = {"month": _category(month, dict(chart_view.clipped), lang), "invoiced": month.invoiced,
                  **dict(month.charges)}
        _block_row(ws, number, left, [(values.get(key), block[key][1]) for key in keys])
    for column in range(left, left + len(keys)):
        ws.column_dimensions[get_column_letter(column)].hidden = True



def _category(month: ChartMonth, clipped: dict[str, int], lang: str) -> str:
    """A month as the chart's axis names it, under its bar: with why it has no bar (明細なし,
    エラー), so it is not read as a month of no calls; a bar cut at the axis' top with its full
    amount."""
    if month.blank is not None:
        return f"{month.month} {word(labels.BLANK_WHY, month.blank, lang)}"
    if month.month in clipped:
        return f"{month.month} " + word_of(labels.CHART_CLIPPED, lang).format(amount=format_yen(clipped[month.month]))
    return month.month



def _chart_word(key: str, lang: str) -> str:
    if key in labels.CALL_TYPES:
        return type_label(key, lang)
    if key == "other":
        return word_of(labels.OTHER, lang)
    if key == "invoiced":
        return word_of(labels.CHART_INVOICED, lang)
    return header_word("summary", key, lang)



def _block_row(ws: Worksheet, number: int, left: int, cells: list[tuple[object, StyleArray]]) -> None:
    for column, (value, style) in enumerate(cells, left):
        set_style(ws.cell(number, column), copy(style))
        put(ws.cell(number, column), value)



def _bar_chart(ws: Worksheet, chart_view: Chart, lang: str, top: int, left: int, block: dict) -> BarChart:
    """Stacked columns of the call types' charges, and the invoiced amount as a line over them;
    each series in the colour of its header cell in the template's chart-data block. A month far
    above the others is cut at the axis' top, its full amount under its bar (`_category`)."""
    keys = chart_view.keys
    months = len(chart_view.months)
    types, invoiced = len(keys) - 1, left + len(keys)
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = word_of(labels.CHART_TITLE, lang)
    chart.visible_cells_only = False  # its figures are in hidden columns
    chart.y_axis.title = word_of(labels.CHART_AXIS, lang)
    chart.y_axis.number_format = ws.cell(top + 1, left + 1).number_format  # the block's yen format
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
    if chart_view.axis_max is not None:
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, chart_view.axis_max
    chart.legend.position = "b"
    categories = Reference(ws, min_col=left, min_row=top + 1, max_row=top + months)
    chart.add_data(Reference(ws, min_col=left + 1, max_col=left + types, min_row=top, max_row=top + months),
                   titles_from_data=True)
    chart.set_categories(categories)
    line = LineChart()
    line.add_data(Reference(ws, min_col=invoiced, min_row=top, max_row=top + months), titles_from_data=True)
    line.set_categories(categories)
    for series, key in zip(chart.series, keys[:-1], strict=True):
        _colour_series(series, block[key][2], line=False)
    for series in line.series:
        series.marker.symbol = "circle"
        series.smooth = False
        _colour_series(series, block["invoiced"][2], line=True)
    chart += line
    return chart



def _colour_series(series, colour: ColorChoice | None, line: bool) -> None:
    """Give a series the template's colour; without one the application picks."""
    if colour is None:
        return
    if line:
        series.graphicalProperties.line.solidFill = colour
        series.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
        series.marker.graphicalProperties = _marker_look(colour)
    else:
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour



def _marker_look(colour: ColorChoice) -> GraphicalProperties:
    look = GraphicalProperties(solidFill=colour)
    look.line.solidFill = colour
    return look



def _chart_colour(fill) -> ColorChoice | None:
    """A cell fill's colour as a chart colour: RGB, a theme colour (with its tint) or a legacy
    palette index; None when the cell is not filled."""
    colour = fill.fgColor
    if fill.fill_type != "solid" or colour is None:
        return None
    # ColorChoice's srgbClr is hex text and its schemeClr a SchemeColor (openpyxl.drawing.colors);
    # the stubs give them the types of scrgbClr and sysClr
    if colour.type == "rgb" and isinstance(colour.rgb, str):
        return ColorChoice(srgbClr=colour.rgb[-6:])  # type: ignore[arg-type]
    if colour.type == "indexed" and colour.indexed < len(COLOR_INDEX):
        return ColorChoice(srgbClr=COLOR_INDEX[colour.indexed][-6:])
    if colour.type == "theme" and colour.theme < len(THEME_COLOURS):
        scheme = _tinted(SchemeColor(val=THEME_COLOURS[colour.theme]), colour.tint)
        return ColorChoice(schemeClr=scheme)  # type: ignore[arg-type]
    return None



def _tinted(scheme: SchemeColor, tint: float) -> SchemeColor:
    """Excel's tint of a theme colour, as the luminance modulation a chart colour takes."""
    if tint > 0:
        scheme.lumMod, scheme.lumOff = round((1 - tint) * 100_000), round(tint * 100_000)
    elif tint < 0:
        scheme.lumMod = round((1 + tint) * 100_000)
    return scheme



def _fits_one_page(ws: Worksheet, bottom: int, columns: int, heights: dict[int, float]) -> bool:
    """About whether rows 1..bottom, printed one page wide, fit on one page (erring on no);
    `heights` are the data rows' that are not among the sheet's row dimensions."""
    setup, margins = ws.page_setup, ws.page_margins
    width, height = PAPER_POINTS.get(int(setup.paperSize or 9), PAPER_POINTS[9])
    if setup.orientation == "landscape":
        width, height = height, width
    room_width = width - (margins.left + margins.right) * POINTS_PER_INCH
    room_height = height - (margins.top + margins.bottom) * POINTS_PER_INCH
    table_width = sum(_column_points(ws, column) for column in range(1, columns + 1))
    scale = min(1.0, room_width / table_width)
    dimensions = ws.row_dimensions  # read with get: a row without a dimension keeps having none
    rows = sum(heights.get(row) or getattr(dimensions.get(row), "height", None) or line_height(ws)
               for row in range(1, bottom + 1))
    return rows * scale <= room_height * 0.95



def _column_points(ws: Worksheet, column: int) -> float:
    """A column's width in points: Excel's width unit is a digit of the Normal font (about 7 px)."""
    base = ws.sheet_format.baseColWidth
    width = ws.column_dimensions[get_column_letter(column)].width or (8 if base is None else base) + 0.43
    return (width * 7 + 5) * 0.75

