package bot

import "image"

// For the tests of /stats as the admin receives it.

// ChartBar is a bar found in the chart (barSpan).
type ChartBar = barSpan

// Labelled reports a count written in the bar or on top of it.
func (b ChartBar) Labelled() bool { return b.labelled() }

// ChartReaderBars finds the bars of the chart's readers panel.
func ChartReaderBars(img image.Image) []ChartBar { return readerBars(img) }

// ChartTopicBars finds the bars of the chart's topics panel, from the top.
func ChartTopicBars(img image.Image) []ChartBar { return topicBars(img) }
