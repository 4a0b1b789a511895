/*
 * strtod, strtof and atof: uknum's correctly rounded parser
 * (uk_num_strtod, uk_num_strtof) with C's errno.  Everything about the
 * text (hexadecimal numbers, inf, nan(n), rounding, what ERANGE means)
 * is uknum's and matches glibc.
 */
#include <errno.h>
#include <stdlib.h>

#include <uk/num.h>

/*
 * Reads a double from the start of s (after white space), correctly
 * rounded.  Returns it (+0 if there is no number; +-HUGE_VAL, i.e. an
 * infinity, on overflow), sets *end (if end) past the text used or to s,
 * and errno to ERANGE on overflow and underflow.
 */
double strtod(const char *s, char **end)
{
	int range;
	double d = uk_num_strtod(s, end, &range);

	if (range)
		errno = ERANGE;
	return d;
}

/* strtod for a float, rounded once (never through a double). */
float strtof(const char *s, char **end)
{
	int range;
	float f = uk_num_strtof(s, end, &range);

	if (range)
		errno = ERANGE;
	return f;
}

/* strtod(s, NULL). */
double atof(const char *s)
{
	return strtod(s, NULL);
}
