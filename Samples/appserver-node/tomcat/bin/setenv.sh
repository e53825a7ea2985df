#!/bin/sh
# Site settings for appnode-01; read by catalina.sh at start-up.
CATALINA_PID="$CATALINA_BASE/temp/tomcat.pid"
JAVA_HOME=/usr/lib/jvm/java-11-openjdk
CATALINA_OPTS="$CATALINA_OPTS -Xms4g -Xmx4g -XX:+UseG1GC -XX:MaxGCPauseMillis=200"
CATALINA_OPTS="$CATALINA_OPTS -Xlog:gc:file=/opt/tomcat/logs/gc.log:time,uptime,level,tags:filecount=5,filesize=20m"
CATALINA_OPTS="$CATALINA_OPTS -Dcom.sun.management.config.file=/opt/tomcat/conf/jmx-management.properties"
# Remote debugging for the vendor's support session (should have been removed)
JAVA_OPTS="$JAVA_OPTS -agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=*:8000"
export CATALINA_PID JAVA_HOME CATALINA_OPTS JAVA_OPTS
