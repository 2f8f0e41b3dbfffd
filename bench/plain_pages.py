"""Plain WeasyPrint on HTML files, in worker processes: the baseline of the 16-page
rows of bench/speed.py, which gives it the very HTML paiban sets for each page, whole.

WeasyPrint is imported once, then the workers are forked (as `paiban build -j N`
does) and each renders its share of the files, every file to ``<file>.pdf``.

Run: .venv/bin/python bench/plain_pages.py -j 2 page1.html page2.html …
"""

import argparse
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

import weasyprint


def render(path):
    weasyprint.HTML(path).write_pdf(f"{path}.pdf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("html", nargs="+")
    args = parser.parse_args()
    with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(render, args.html))


if __name__ == "__main__":
    main()
