"""`ldn site`: the catalogue as a static website, drawn from the same answers as the terminal views.

`data` asks the library and returns plain data; `pictures` turns it into shapes;
`build` draws the pages through Jinja2 templates (`templates/`, `static/`).
"""
