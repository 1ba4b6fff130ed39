"""``--format junit``: JUnit XML, which Jenkins, GitLab, Azure and CircleCI show as test results.

One ``<testsuite>`` per linted file; in it one failing ``<testcase>`` per error or warning (named
``CODE name at line:col``, the ``<failure>`` carrying the message and position), info findings as
passing test cases with the note in ``<system-out>``, and a clean file as one passing test case,
so every file counts. Characters XML 1.0 cannot carry (controls from a hostile file) are replaced.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.etree import ElementTree as ET

from ssmlkit.output import FileResult, Formatter, register_formatter

__all__ = ["JunitFormatter"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


@register_formatter
class JunitFormatter(Formatter):
    """The ``<testsuites name="ssmlkit">`` document."""

    name = "junit"

    def format(self, results: Sequence[FileResult]) -> str:
        """The report as UTF-8 XML text."""
        root = ET.Element("testsuites", name="ssmlkit")
        total_tests = total_failures = 0
        for result in results:
            path = _xml(result.path)
            suite = ET.SubElement(root, "testsuite", name=path)
            tests = failures = 0
            for d in result.diagnostics:
                tests += 1
                case = ET.SubElement(
                    suite,
                    "testcase",
                    name=_xml(f"{d.code} {d.name} at {d.line}:{d.column}"),
                    classname=path,
                    file=path,
                    line=str(d.line),
                )
                where = f"{path}:{d.line}:{d.column}: {d.code} [{d.severity.value}]"
                if d.severity.value == "info":
                    ET.SubElement(case, "system-out").text = _xml(f"{where} {d.message}")
                    continue
                failures += 1
                failure = ET.SubElement(
                    case, "failure", message=_xml(d.message), type=f"{d.code} {d.severity.value}"
                )
                failure.text = _xml(f"{where} {d.message}")
            if tests == 0:
                tests = 1
                ET.SubElement(suite, "testcase", name="no problems", classname=path, file=path)
            suite.set("tests", str(tests))
            suite.set("failures", str(failures))
            suite.set("errors", "0")
            suite.set("skipped", "0")
            total_tests += tests
            total_failures += failures
        root.set("tests", str(total_tests))
        root.set("failures", str(total_failures))
        root.set("errors", "0")
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
