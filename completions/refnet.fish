# fish completion for refnet(1).
#
# Contact names, referral and follow-up ids, event names and config keys are read live from the
# user's own database and config through the hidden `refnet __complete WHAT PREFIX` helper,
# honouring --db and --config already typed on the line. fish quotes what it inserts itself.

# Options that take a value: knowing them tells a value apart from a positional argument.
set -g __refnet_value_options db config format color role specialty practice npi phone fax email \
    city source event tag note name untag to from patient reason urgency date via referral due \
    kind location met status contact since until as-of by on-duplicate vcard ics contacts referrals seed \
    output map ignore passphrase-fd appointment direction touchpoint limit

# The words typed after `refnet`, options and their values dropped: the command path and
# positionals, e.g. "followup done 17". Every condition below asks for them, so they are worked
# out once per command line.
function __refnet_positionals
    set -l line (commandline -pc)
    if test "$line" != "$__refnet_cached_line"
        set -g __refnet_cached_line $line
        set -g __refnet_cached_words
        set -l tokens (commandline -opc)
        set -e tokens[1]
        set -l skip 0
        for token in $tokens
            if test $skip -eq 1
                set skip 0
                continue
            end
            switch $token
                case '--*=*'
                    continue
                case '--*'
                    contains -- (string sub -s 3 -- $token) $__refnet_value_options; and set skip 1
                    continue
                case -o
                    set skip 1
                    continue
                case '-*'
                    continue
            end
            set -a __refnet_cached_words $token
        end
    end
    printf '%s\n' $__refnet_cached_words
end

# True when the command path typed so far is exactly the arguments, e.g. `list contacts`.
function __refnet_path_is
    test "$(__refnet_positionals | string join ' ')" = "$argv"
end

# True when the command path is $argv[1..-2] followed by exactly $argv[-1] positionals.
function __refnet_path_then
    set -l n $argv[-1]
    set -e argv[-1]
    set -l words (__refnet_positionals)
    set -l length (count $argv)
    test (count $words) -eq (math $length + $n); or return 1
    test "$words[1..$length]" = "$argv"
end

# True when the command path starts with the arguments (options of that command).
function __refnet_path_starts
    set -l words (__refnet_positionals)
    set -l length (count $argv)
    test (count $words) -ge $length; or return 1
    test "$words[1..$length]" = "$argv"
end

# Candidates for WHAT from `refnet __complete`, as "value<TAB>description" lines.
function __refnet_live
    set -l tokens (commandline -opc)
    set -l bin $tokens[1]
    set -l args
    set -l i 2
    while test $i -le (count $tokens)
        switch $tokens[$i]
            case --db --config
                set -l next (math $i + 1)
                if test $next -le (count $tokens)
                    set -a args $tokens[$i] $tokens[$next]
                end
                set i $next
            case '--db=*' '--config=*'
                set -a args $tokens[$i]
        end
        set i (math $i + 1)
    end
    set -l prefix (commandline -ct | string unescape)
    command $bin $args __complete $argv[1] -- "$prefix" 2>/dev/null
end

complete -c refnet -f

# Global options, before or after the command.
complete -c refnet -s h -l help -d 'Print help'
complete -c refnet -n '__refnet_path_is' -l version -d 'Print the version and the SQLite version'
complete -c refnet -l db -r -F -d 'Database file'
complete -c refnet -l config -r -F -d 'Config file'
complete -c refnet -l format -x -d 'Output format' -a '(
    if __refnet_path_starts export
        printf "%s\n" table csv tsv json vcf ics
    else if __refnet_path_starts report network
        printf "%s\n" table csv tsv json dot
    else if __refnet_path_starts report digest
        printf "%s\n" table json html
    else if __refnet_path_is
        printf "%s\n" table csv tsv json vcf ics dot html
    else
        printf "%s\n" table csv tsv json
    end)'
complete -c refnet -l no-header -d 'Leave out the header row of csv and tsv'
complete -c refnet -l wide -d 'Tables keep their full width at a terminal'
complete -c refnet -l color -x -a 'auto always never' -d 'Colour in tables'

# Commands.
set -l top '__refnet_path_is'
complete -c refnet -n $top -a init -d 'Create the config and the database; safe to run twice'
complete -c refnet -n $top -a add -d 'Add a contact'
complete -c refnet -n $top -a edit -d 'Change a contact, or a referral with --referral'
complete -c refnet -n $top -a archive -d 'Retire a contact (history is kept)'
complete -c refnet -n $top -a merge -d 'Merge a duplicate contact into another'
complete -c refnet -n $top -a refer -d 'Record a referral out (--to) or in (--from)'
complete -c refnet -n $top -a ack -d 'Record that a referral was acknowledged'
complete -c refnet -n $top -a status -d 'Move a referral through its lifecycle'
complete -c refnet -n $top -a void -d 'Take a referral, touchpoint or event entered in error out of everything'
complete -c refnet -n $top -a undo -d 'Take back what the last command changed (or change N)'
complete -c refnet -n $top -a followup -d 'Log a touchpoint, or plan one with --due'
complete -c refnet -n $top -a event -d 'Record an event and who was met there'
complete -c refnet -n $top -a list -d 'List contacts, referrals, follow-ups or events'
complete -c refnet -n $top -a show -d "Show a contact card or a referral's timeline"
complete -c refnet -n $top -a search -d 'Find contacts, referrals, follow-ups and events by their words'
complete -c refnet -n $top -a report -d 'Reports; summary when NAME is omitted'
complete -c refnet -n $top -a import -d 'Bulk load contacts, referrals, touchpoints or events'
complete -c refnet -n $top -a export -d 'Every record out: csv, tsv, json, vCard, iCalendar'
complete -c refnet -n $top -a log -d 'Show the audit trail'
complete -c refnet -n $top -a db -d 'Where the database is'
complete -c refnet -n $top -a config -d 'The effective configuration'
complete -c refnet -n $top -a demo -d 'Fill a database with a realistic synthetic network'

# Enumerated values.
set -l roles pcp specialist allied facility other
set -l sources visit referral conference cme seminar workshop hosted-event association social \
    linkedin doximity sermo other
set -l vias call email visit video meeting linkedin letter update
set -l kinds cme conference seminar workshop hosted association social
set -l statuses new acknowledged scheduled seen closed declined cancelled no-show
set -l dates today yesterday tomorrow now monday tuesday wednesday thursday friday saturday sunday

set -l contacts '(__refnet_live contacts)'

# add, edit
for cmd in add edit
    set -l c "__refnet_path_starts $cmd"
    complete -c refnet -n $c -l role -x -a "$roles" -d Role
    complete -c refnet -n $c -l specialty -x -d 'Specialty, e.g. cardiology'
    complete -c refnet -n $c -l practice -x -d 'Practice or organisation'
    complete -c refnet -n $c -l npi -x -d 'National Provider Identifier (10 digits)'
    complete -c refnet -n $c -l phone -x -d 'Phone number'
    complete -c refnet -n $c -l fax -x -d 'Fax number'
    complete -c refnet -n $c -l email -x -d 'Email address'
    complete -c refnet -n $c -l city -x -d City
    complete -c refnet -n $c -l source -x -a "$sources" -d 'How the relationship began'
    complete -c refnet -n $c -l event -x -a '(__refnet_live events)' -d 'The event where you met'
    complete -c refnet -n $c -l tag -x -d 'A tag (repeat for more)'
    complete -c refnet -n $c -l note -x -d 'A free-text note'
end
complete -c refnet -n '__refnet_path_starts edit' -l name -x -d 'A new name'
complete -c refnet -n '__refnet_path_starts edit' -l untag -x -d 'Remove a tag (repeat for more)'
set -l c '__refnet_path_starts edit'
complete -c refnet -n $c -l referral -x -a '(__refnet_live referrals)' -d 'Edit this referral instead of a contact'
complete -c refnet -n $c -l contact -x -a $contacts -d 'With --referral: the contact it is from or to'
complete -c refnet -n $c -l direction -x -a 'in out' -d 'With --referral: in (from the contact) or out (to them)'
complete -c refnet -n $c -l patient -x -d 'With --referral: the patient reference'
complete -c refnet -n $c -l reason -x -d 'With --referral: the reason for it'
complete -c refnet -n $c -l urgency -x -a 'routine urgent emergent' -d 'With --referral: routine, urgent or emergent'
complete -c refnet -n $c -l date -x -a "$dates" -d 'With --referral: when it was made'

# void
set -l c '__refnet_path_starts void'
complete -c refnet -n $c -l referral -x -a '(__refnet_live referrals)' -d 'Void this referral'
complete -c refnet -n $c -l touchpoint -x -a '(__refnet_live followups)' -d 'Void this touchpoint or planned follow-up'
complete -c refnet -n $c -l event -x -d 'Void this event'
complete -c refnet -n $c -l reason -x -d 'Why it was entered in error'

# undo
set -l c '__refnet_path_starts undo'
complete -c refnet -n $c -l dry-run -d 'Show what would be taken back; change nothing'
complete -c refnet -n $c -s o -l output -r -F -d 'Write to FILE (0600, replaced whole), not stdout'
complete -c refnet -n $c -l redact -d 'Print patient references as keyed pseudonyms'
complete -c refnet -n $c -l no-redact -d 'Print patient references as they are'

# Commands whose positionals are contacts, referral ids or follow-up ids.
complete -c refnet -n '__refnet_path_then edit 0' -a $contacts
complete -c refnet -n '__refnet_path_then archive 0' -a $contacts
complete -c refnet -n '__refnet_path_starts archive' -l undo -d 'Make an archived contact active again'
complete -c refnet -n '__refnet_path_then merge 0; or __refnet_path_then merge 1' -a $contacts
complete -c refnet -n '__refnet_path_then show 0' -a $contacts
complete -c refnet -n '__refnet_path_then followup 0' -a $contacts
complete -c refnet -n '__refnet_path_then ack 0; or __refnet_path_then status 0' \
    -a '(__refnet_live referrals)'
complete -c refnet -n '__refnet_path_then status 1' -a "$statuses[2..-1]"
complete -c refnet -n '__refnet_path_then followup done 0; or __refnet_path_then followup dismiss 0' \
    -a '(__refnet_live followups)'

# refer
set -l c '__refnet_path_starts refer'
complete -c refnet -n $c -l to -x -a $contacts -d 'We refer a patient to this contact'
complete -c refnet -n $c -l from -x -a $contacts -d 'This contact refers a patient to us'
complete -c refnet -n $c -l patient -x -d 'Patient reference: chart number, MRN or initials'
complete -c refnet -n $c -l reason -x -d 'Reason for the referral'
complete -c refnet -n $c -l urgency -x -a 'routine urgent emergent' -d Urgency
complete -c refnet -n $c -l date -x -a "$dates" -d 'When it was made (default now)'
complete -c refnet -n $c -l note -x -d 'A free-text note'

# ack, status
complete -c refnet -n '__refnet_path_starts ack' -l date -x -a "$dates" -d 'When it was acknowledged'
complete -c refnet -n '__refnet_path_starts ack' -l note -x -d 'A free-text note'
complete -c refnet -n '__refnet_path_starts status' -l date -x -a "$dates" -d 'When it happened'
complete -c refnet -n '__refnet_path_starts status' -l appointment -x -a "$dates" -d 'With scheduled: when the visit is'
complete -c refnet -n '__refnet_path_starts status' -l reason -x -d 'Why it was declined'
complete -c refnet -n '__refnet_path_starts status' -l note -x -d 'A free-text note'
complete -c refnet -n '__refnet_path_starts status' -l correct -d 'Put a mistaken status right (needs --reason)'

# followup, followup done, followup dismiss
set -l c '__refnet_path_starts followup; and not __refnet_path_starts followup done; and not __refnet_path_starts followup dismiss'
complete -c refnet -n '__refnet_path_then followup 0' -a done -d 'Mark a planned follow-up as done'
complete -c refnet -n '__refnet_path_then followup 0' -a dismiss -d 'Drop a planned follow-up'
complete -c refnet -n $c -l via -x -a "$vias" -d 'How (default call)'
complete -c refnet -n $c -l referral -x -a '(__refnet_live referrals)' -d 'The referral it concerns'
complete -c refnet -n $c -l note -x -d 'What was said or is to be said'
complete -c refnet -n $c -l date -x -a "$dates" -d 'When it happened (default now)'
complete -c refnet -n $c -l due -x -a "$dates" -d 'Plan it instead: when it is due'
complete -c refnet -n '__refnet_path_starts followup done' -l date -x -a "$dates" -d 'When it was done'

# event
set -l c '__refnet_path_starts event'
complete -c refnet -n $c -l kind -x -a "$kinds" -d 'Kind of event'
complete -c refnet -n $c -l date -x -a "$dates" -d 'When it took place'
complete -c refnet -n $c -l location -x -d Where
complete -c refnet -n $c -l met -x -a $contacts -d 'A contact met there (repeat for more)'
complete -c refnet -n $c -l note -x -d 'A free-text note'

# list
complete -c refnet -n '__refnet_path_is list' -a contacts -d 'Contacts, by name'
complete -c refnet -n '__refnet_path_is list' -a referrals -d 'Referrals, oldest first'
complete -c refnet -n '__refnet_path_is list' -a followups -d 'Touchpoints: logged and planned'
complete -c refnet -n '__refnet_path_is list' -a events -d 'Events, by date'
set -l c '__refnet_path_starts list contacts; or __refnet_path_starts list referrals; or __refnet_path_starts list followups'
complete -c refnet -n $c -l role -x -a "$roles" -d 'Only contacts with this role'
complete -c refnet -n $c -l specialty -x -d 'Only specialties containing this text'
complete -c refnet -n $c -l source -x -a "$sources" -d 'Only contacts from this source channel'
complete -c refnet -n $c -l tag -x -d 'Only contacts with this tag'
set -l c '__refnet_path_starts list contacts; or __refnet_path_starts list referrals; or __refnet_path_starts list followups; or __refnet_path_starts list events'
complete -c refnet -n $c -l contact -x -a $contacts -d 'Only this contact'
complete -c refnet -n $c -l since -x -a "$dates" -d 'Only on or after this date'
complete -c refnet -n $c -l until -x -a "$dates" -d 'Only up to this date (inclusive)'
complete -c refnet -n '__refnet_path_starts list contacts' -l archived -d 'Include archived contacts'
set -l c '__refnet_path_starts list referrals'
complete -c refnet -n $c -l in -d 'Only inbound referrals (to us)'
complete -c refnet -n $c -l out -d 'Only outbound referrals (from us)'
complete -c refnet -n $c -l status -x -a "$statuses" -d 'Only referrals in this status'
complete -c refnet -n $c -l open -d 'Only referrals still open'
complete -c refnet -n $c -l overdue -d 'Only referrals unacknowledged past their SLA'
complete -c refnet -n $c -l patient -x -d "Only this patient's referrals (reference or P- pseudonym)"
complete -c refnet -n '__refnet_path_starts list referrals; or __refnet_path_starts list followups; or __refnet_path_starts list events' -l voided -d 'Only the records voided as entered in error'
set -l c '__refnet_path_starts list followups'
complete -c refnet -n $c -l open -d 'Only planned follow-ups still open'
complete -c refnet -n $c -l overdue -d 'Only planned follow-ups past due'
complete -c refnet -n $c -l via -x -a "$vias" -d 'Only this channel'
complete -c refnet -n '__refnet_path_starts list events' -l kind -x -a "$kinds" -d 'Only events of this kind'

# Where data goes, and whether patient references are pseudonymised: every command that prints
# records.
set -l c '__refnet_path_starts list contacts; or __refnet_path_starts list referrals; or __refnet_path_starts list followups; or __refnet_path_starts list events; or __refnet_path_starts show; or __refnet_path_starts search; or __refnet_path_starts report'
set -l c "$c; or __refnet_path_starts export contacts; or __refnet_path_starts export referrals; or __refnet_path_starts export touchpoints; or __refnet_path_starts export followups; or __refnet_path_starts export events; or __refnet_path_starts log"
complete -c refnet -n $c -s o -l output -r -F -d 'Write to FILE (0600, replaced whole), not stdout'
set -l c '__refnet_path_starts list referrals; or __refnet_path_starts show; or __refnet_path_starts search; or __refnet_path_starts report'
set -l c "$c; or __refnet_path_starts export contacts; or __refnet_path_starts export referrals; or __refnet_path_starts export touchpoints; or __refnet_path_starts export followups; or __refnet_path_starts export events; or __refnet_path_starts log"
complete -c refnet -n $c -l redact -d 'Print patient references as keyed pseudonyms'
complete -c refnet -n $c -l no-redact -d 'Print patient references as they are'

# show
complete -c refnet -n '__refnet_path_starts show' -l referral -x -a '(__refnet_live referrals)' \
    -d "Show this referral's timeline instead"

# search
complete -c refnet -n '__refnet_path_starts search' -l kind -x -a 'contact referral touchpoint event' \
    -d 'Only rows of this kind'
complete -c refnet -n '__refnet_path_starts search' -l limit -x -d 'At most N results, best first'

# report
set -l c '__refnet_path_is report'
complete -c refnet -n $c -a summary -d 'The period at a glance (the default report)'
complete -c refnet -n $c -a overdue -d 'The action list, most overdue first'
complete -c refnet -n $c -a reciprocity -d 'Per contact: referrals in and out, balance'
complete -c refnet -n $c -a sources -d 'Inbound referrals by source channel and by event'
complete -c refnet -n $c -a trend -d 'Referrals in and out per week, month or quarter'
complete -c refnet -n $c -a at-risk -d 'Referrers whose volume fell, or who went silent'
complete -c refnet -n $c -a closed-loop -d 'Share of referrals whose report came back'
complete -c refnet -n $c -a turnaround -d 'Median and 90th-percentile hours to each step'
complete -c refnet -n $c -a network -d 'The referral graph: edge list or Graphviz (dot)'
complete -c refnet -n $c -a digest -d 'The weekly digest on one page: text, json or html'
set -l c '__refnet_path_starts report'
complete -c refnet -n $c -l since -x -a "$dates" -d 'Start of the period (inclusive)'
complete -c refnet -n $c -l until -x -a "$dates" -d 'End of the period (inclusive)'
complete -c refnet -n $c -l as-of -x -a "$dates" -d 'Compute the report as of this date'
complete -c refnet -n '__refnet_path_starts report overdue' -l check \
    -d 'Exit 1 when anything is overdue (for cron)'
complete -c refnet -n '__refnet_path_starts report trend' -l by -x -a 'week month quarter' \
    -d 'Bucket size'

# import, export
for cmd in import export
    set -l c "__refnet_path_is $cmd"
    complete -c refnet -n $c -a contacts -d Contacts
    complete -c refnet -n $c -a referrals -d Referrals
    complete -c refnet -n $c -a touchpoints -d 'Touchpoints, logged and planned'
    complete -c refnet -n $c -a followups -d 'Touchpoints, logged and planned'
    complete -c refnet -n $c -a events -d Events
end
set -l c '__refnet_path_starts import contacts; or __refnet_path_starts import referrals; or __refnet_path_starts import touchpoints; or __refnet_path_starts import followups; or __refnet_path_starts import events'
complete -c refnet -n "$c" -F
complete -c refnet -n $c -l dry-run -d 'Check every line, write nothing'
complete -c refnet -n $c -l on-duplicate -x -a 'error skip update' -d 'A row already in the database'
complete -c refnet -n $c -l from -x -a 'csv tsv json vcf google-csv outlook-csv' -d "The file's format"
complete -c refnet -n $c -l map -x -d 'Read column HEADER as FIELD: HEADER=FIELD'
complete -c refnet -n $c -l ignore -x -d 'Leave column HEADER out'
complete -c refnet -n $c -l ignore-unknown -d 'Leave out every column that names no field'
set -l c '__refnet_path_starts export contacts; or __refnet_path_starts export referrals; or __refnet_path_starts export touchpoints; or __refnet_path_starts export followups; or __refnet_path_starts export events'
complete -c refnet -n '__refnet_path_starts export touchpoints; or __refnet_path_starts export followups' \
    -l ics -x -a 'event todo' -d 'With --format ics: calendar events or to-dos'
complete -c refnet -n '__refnet_path_starts export contacts' -l vcard -x -a '4.0 3.0' \
    -d 'vCard version with --format vcf'

# log
set -l c '__refnet_path_starts log'
complete -c refnet -n $c -l since -x -a "$dates" -d 'Only changes on or after this date'
complete -c refnet -n $c -l contact -x -a $contacts -d 'Only changes to this contact'
complete -c refnet -n $c -l referral -x -a '(__refnet_live referrals)' -d 'Only changes to this referral'

# db, config
complete -c refnet -n '__refnet_path_is db' -a path -d 'Print where the database file is'
complete -c refnet -n '__refnet_path_is db' -a migrate -d "Bring the database to this refnet's schema"
complete -c refnet -n '__refnet_path_is db' -a check -d "Check the database's integrity and foreign keys"
complete -c refnet -n '__refnet_path_is db' -a backup -d 'Copy the database, while in use, to a new file'
complete -c refnet -n '__refnet_path_is db' -a copy -d 'Copy the whole database into a new one (file or PostgreSQL)'
complete -c refnet -n '__refnet_path_starts db copy' -l to -r -d 'Where: a new file, or an empty PostgreSQL database (URL)'
complete -c refnet -n '__refnet_path_is db' -a restore -d 'Replace the database with a backup, keeping the old one'
complete -c refnet -n '__refnet_path_then db backup 0; or __refnet_path_then db restore 0' -F
complete -c refnet -n '__refnet_path_starts db backup' -l encrypt -d 'Encrypt it with a passphrase'
complete -c refnet -n '__refnet_path_starts db backup; or __refnet_path_starts db restore' \
    -l passphrase-fd -x -d 'Read the passphrase from this open file descriptor'
complete -c refnet -n '__refnet_path_is config' -a path -d 'Print where the config file is'
complete -c refnet -n '__refnet_path_is config' -a show -d 'Every key, its value and its origin'
complete -c refnet -n '__refnet_path_is config' -a get -d "Print one key's effective value"
complete -c refnet -n '__refnet_path_then config get 0' -a '(__refnet_live keys)'

# demo
set -l c '__refnet_path_starts demo'
complete -c refnet -n $c -l contacts -x -d 'How many contacts (default 60)'
complete -c refnet -n $c -l referrals -x -d 'How many referrals over 18 months (default 400)'
complete -c refnet -n $c -l seed -x -d 'Random seed: the same seed gives the same data'
