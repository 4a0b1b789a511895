"""Prometheus's HTTP API for the project's scripts (make plot, the Grafana
acceptance check): one GET of /api/v1/<path>, its "data", or PromError
saying why not (unreachable, an HTTP error, a query Prometheus refused).
"""
import json
import urllib.error
import urllib.parse
import urllib.request


class PromError(Exception):
    """Prometheus could not be reached or refused a query."""


def api(base, path, params, timeout=10):
    """GETs BASE/api/v1/PATH?PARAMS (lists as repeated parameters);
    returns the answer's "data" or raises PromError."""
    url = "%s/api/v1/%s?%s" % (base, path,
                               urllib.parse.urlencode(params, doseq=True))
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            body = json.load(r)
    except urllib.error.HTTPError as e:
        try:
            body = json.load(e)
        except ValueError:
            raise PromError("%s: HTTP %d" % (url, e.code))
    except (OSError, ValueError) as e:
        raise PromError("%s: %s" % (base, e))
    if body.get("status") != "success":
        raise PromError("%s: %s: %s" % (params.get("query", path),
                                        body.get("errorType"),
                                        body.get("error")))
    return body["data"]
