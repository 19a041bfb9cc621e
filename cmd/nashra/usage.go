package main

import (
	"context"
	"flag"
	"fmt"
	"io"
)

// usage is the command list: `nashra help`, `nashra -h` and `nashra --help`.
func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: nashra [command] [flags]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-12s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "  %-12s %s\n", "version", versionSummary+" (also --version)")
	fmt.Fprintf(w, "  %-12s %s\n", "help", "print this list (also -h, --help); help COMMAND is COMMAND -h")
	fmt.Fprintln(w, "\nEvery setting is a NASHRA_* variable or the matching flag; nashra COMMAND -h lists a command's flags, then the settings.")
}

// runHelp is `nashra help [COMMAND]`.
func runHelp(w io.Writer, args []string) error {
	switch {
	case len(args) == 0 || args[0] == "help" || isHelpFlag(args[0]):
		usage(w)
	case len(args) > 1:
		return fmt.Errorf("%w: help takes one command at most", errUsage)
	case args[0] == "version":
		return runVersion(w, []string{"-h"})
	default:
		c := findCommand(args[0])
		if c == nil {
			return fmt.Errorf("%w: unknown command %q (nashra help lists them)", errUsage, args[0])
		}
		c.help(w)
	}
	return nil
}

func findCommand(name string) *command {
	for i := range commands {
		if commands[i].name == name {
			return &commands[i]
		}
	}
	return nil
}

// isHelpFlag reports whether arg asks for help as the flag package
// understands it.
func isHelpFlag(arg string) bool {
	switch arg {
	case "-h", "--h", "-help", "--help":
		return true
	}
	return false
}

// flagSet is the command's flags and the settings' in one set; the
// returned map holds the settings for resolveConfig. Run prints help and
// errors itself, so the set prints nothing.
func (c *command) flagSet() (*flag.FlagSet, func(context.Context, *env) error, map[string]*string) {
	fs := flag.NewFlagSet("nashra "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	do := c.flags(fs)
	return fs, do, bindSettings(fs)
}

// help is `nashra COMMAND -h`: what the command does, its own flags and
// arguments, then the settings every command shares.
func (c *command) help(w io.Writer) {
	own := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.flags(own)
	shared := flag.NewFlagSet("settings", flag.ContinueOnError)
	bindSettings(shared)

	fmt.Fprintf(w, "nashra %s: %s\n\nusage: nashra %s [flags]", c.name, c.summary, c.name)
	if c.args != "" {
		fmt.Fprintf(w, " %s", c.args)
	}
	fmt.Fprintln(w)
	n := 0
	own.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nflags of %s:\n", c.name)
		own.SetOutput(w)
		own.PrintDefaults()
	} else {
		fmt.Fprintf(w, "\n%s has no flags of its own.\n", c.name)
	}
	fmt.Fprintln(w, "\nsettings, shared by every command (a flag wins over its NASHRA_* variable):")
	shared.SetOutput(w)
	shared.PrintDefaults()
}

// hint follows a command-line mistake.
func (c *command) hint() string {
	return fmt.Sprintf("nashra %s -h lists its flags and the settings", c.name)
}
